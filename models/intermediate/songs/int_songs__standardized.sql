{{ config(materialized='view', enabled=seg_case_selected('songs')) }}

{{ seg_standardize('songs') }}
