{{ config(enabled=seg_case_selected('songs')) }}

{{ seg_wide_profile('songs') }}
