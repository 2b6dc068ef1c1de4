{{ customer_segmentation.seg_union_all_cases(seg_segment_rules) }}
