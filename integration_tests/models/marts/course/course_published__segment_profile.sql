{{ config(enabled=customer_segmentation.seg_case_selected('course_published')) }}

{{ customer_segmentation.seg_wide_profile('course_published') }}
