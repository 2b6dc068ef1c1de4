{{ config(materialized='view', enabled=seg_case_selected('campaign')) }}

{{ seg_standardize('campaign') }}
