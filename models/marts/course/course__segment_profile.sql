{{ config(enabled=seg_case_selected('course')) }}

{{ seg_wide_profile('course') }}
