{{ seg_union_all_cases(seg_score_case) }}
