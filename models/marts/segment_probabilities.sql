-- Segment probabilities of every usable customer of the Gaussian-mixture (gmm) cases, scored in SQL.
-- depends_on: {{ ref('int_segment_artifacts') }}
-- depends_on: {{ ref('int_segment_model_scalers') }}
{{ customer_segmentation.seg_union_all_cases(seg_probabilities_case) }}
