{{ seg_wide_profile('demo') }}
