-- Every assigned customer on its case's 2-D PCA map (pc1, pc2), for segment scatter plots.
-- depends_on: {{ ref('int_segment_projections') }}
-- depends_on: {{ ref('int_segment_model_scalers') }}
{{ customer_segmentation.seg_union_all_cases(seg_projection_2d_case) }}
