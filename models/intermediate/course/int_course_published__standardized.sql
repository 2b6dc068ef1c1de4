{{ config(materialized='view', enabled=seg_case_selected('course_published')) }}

{{ seg_standardize('course_published') }}
