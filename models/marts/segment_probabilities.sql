-- Segment probabilities of every usable customer of the Gaussian-mixture (gmm) cases, scored in SQL.
{{ seg_union_all_cases(seg_probabilities_case) }}
