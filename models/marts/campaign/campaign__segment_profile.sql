{{ config(enabled=seg_case_selected('campaign')) }}

{{ seg_wide_profile('campaign') }}
