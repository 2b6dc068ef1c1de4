{{
    config(
        materialized='incremental',
        unique_key=['case_name', 'customer_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ customer_segmentation.seg_prune_scores() }}"
    )
}}

-- Every usable customer's segment under its case's current model, scored in SQL. Incremental:
-- a build scores only new customers, changed features and rows an older model scored.
{{ customer_segmentation.seg_union_all_cases(seg_score_case) }}
