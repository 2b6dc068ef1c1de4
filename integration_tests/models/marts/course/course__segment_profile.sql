{{ config(enabled=customer_segmentation.seg_case_selected('course')) }}

{{ customer_segmentation.seg_wide_profile('course') }}
