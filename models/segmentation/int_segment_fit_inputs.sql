{{ config(materialized='view') }}

-- What a fit reads: every usable row of every case, standardised with this build's statistics
-- (int_segment_scalers), its clustering features as one list in the case's feature order. A view:
-- a fit reads only its bounded hash sample of it (customer_segmentation.dbt_model.read_fit_sample).
{{ customer_segmentation.seg_union_all_cases(seg_fit_input_rows) }}
