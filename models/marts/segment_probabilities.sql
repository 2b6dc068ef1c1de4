-- Segment probabilities of every usable customer of the Gaussian-mixture (gmm) cases, scored in SQL.
-- depends_on: {{ ref('int_segment_model_runs') }}
-- depends_on: {{ ref('int_segment_projections') }}
-- depends_on: {{ ref('int_segment_gmm_components') }}
-- depends_on: {{ ref('int_segment_gmm_means') }}
-- depends_on: {{ ref('int_segment_gmm_precision_cholesky') }}
-- depends_on: {{ ref('int_segment_model_scalers') }}
{{ customer_segmentation.seg_union_all_cases(seg_probabilities_case) }}
