-- For each usable track, its N nearest tracks (N = var('segmentation').songs.similar_tracks)
-- in the same segment by Euclidean distance over the standardised audio features. The
-- self-join within segment costs about n^2 / k distances: trivial at 3.9k tracks, not at
-- catalogue scale (see the macro seg_similar_within_segment).
{{ config(enabled=customer_segmentation.seg_case_selected('songs')) }}

with

neighbours as (

    {{ customer_segmentation.seg_similar_within_segment(
        'songs', var('segmentation')['songs']['custom']['similar_tracks']
    ) }}

),

tracks as (

    select
        track_id,
        artist_name,
        track_name,
        genre
    from {{ ref('int_songs__features') }}

)

select
    neighbours.item_id as track_id,
    track.artist_name,
    track.track_name,
    track.genre,
    neighbours.segment_id,
    neighbours.similarity_rank,
    neighbours.similar_item_id as similar_track_id,
    other.artist_name as similar_artist_name,
    other.track_name as similar_track_name,
    other.genre as similar_genre,
    neighbours.distance
from neighbours
inner join tracks as track on neighbours.item_id = track.track_id
inner join tracks as other on neighbours.similar_item_id = other.track_id
