{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{{ customer_segmentation.seg_wide_profile('campaign') }}
