{{ seg_union_all_cases(seg_model_artifacts) }}
