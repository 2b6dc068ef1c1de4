{{ config(enabled=customer_segmentation.seg_case_selected('course_ward')) }}

{{ customer_segmentation.seg_wide_profile('course_ward') }}
