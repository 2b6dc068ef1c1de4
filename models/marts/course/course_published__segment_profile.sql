{{ config(enabled=seg_case_selected('course_published')) }}

{{ seg_wide_profile('course_published') }}
