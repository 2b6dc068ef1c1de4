{{ config(enabled=customer_segmentation.seg_case_selected('songs')) }}

{{ customer_segmentation.seg_wide_profile('songs') }}
