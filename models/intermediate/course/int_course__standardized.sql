{{ config(materialized='view', enabled=seg_case_selected('course')) }}

{{ seg_standardize('course') }}
