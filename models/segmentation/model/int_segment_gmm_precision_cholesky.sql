-- The upper-triangular Cholesky factor P of every Gaussian-mixture component's precision (the
-- 'gmm_precision_cholesky' rows): one row per stored entry P[row_feature, column_feature]; entries
-- not stored are 0 (seg_gmm_posteriors).
{{ customer_segmentation.seg_artifact_rows('gmm_precision_cholesky', {
    'segment_id': 'segment_id', 'name': 'row_feature', 'text': 'column_feature', 'value': 'cholesky_value',
}) }}
