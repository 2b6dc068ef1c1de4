{{ config(materialized='view') }}
{#- Refs without the database name: the view keeps working in a copied or renamed file. -#}

select
    scores.case_name,
    scores.customer_id,
    scores.segment_id,
    segments.segment_name,
    scores.distance_to_centroid,
    scores.model_id,
    scores.previous_segment_id,
    scores.scored_at
from {{ ref('int_segment_scores').include(database=false) }} as scores
inner join {{ ref('int_segments').include(database=false) }} as segments
    on
        scores.model_id = segments.model_id
        and scores.segment_id = segments.segment_id
