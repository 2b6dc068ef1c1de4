{{ config(materialized='view', enabled=seg_case_selected('course_ward')) }}

{{ seg_standardize('course_ward') }}
