{{ customer_segmentation.seg_wide_profile('demo') }}
