{{ config(enabled=seg_case_selected('course_ward')) }}

{{ seg_wide_profile('course_ward') }}
