{{ config(materialized='view') }}

{{ seg_standardize('demo') }}
