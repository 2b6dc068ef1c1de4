-- Tracks of spotify_songs.csv as exported: renamed, typed, nothing else. One row per file
-- row, nothing filtered (duplicates and out-of-range values are screened in
-- int_songs__features). Values that do not parse become null. "Unnamed: 0" (a second
-- copy of an old index) is dropped.
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_songs__features')) }}

with

source as (

    select * from {{ source('spotify', 'tracks') }}

),

renamed as (

    select
        nullif(trim(track_id), '') as track_id,
        try_cast(nullif(trim(index), '') as bigint) as source_index,
        nullif(trim(artist_name), '') as artist_name,
        nullif(trim(track_name), '') as track_name,
        {{ customer_segmentation.seg_clean_category('genre') }} as genre,
        try_cast(nullif(trim(year), '') as integer) as release_year,
        try_cast(nullif(trim(popularity), '') as integer) as popularity,
        try_cast(nullif(trim(danceability), '') as double) as danceability,
        try_cast(nullif(trim(energy), '') as double) as energy,
        try_cast(nullif(trim(valence), '') as double) as valence,
        try_cast(nullif(trim(tempo), '') as double) as tempo,
        try_cast(nullif(trim(loudness), '') as double) as loudness,
        try_cast(nullif(trim(acousticness), '') as double) as acousticness,
        try_cast(nullif(trim(speechiness), '') as double) as speechiness,
        try_cast(nullif(trim(instrumentalness), '') as double) as instrumentalness,
        try_cast(nullif(trim(liveness), '') as double) as liveness,
        try_cast(nullif(trim(key), '') as integer) as musical_key,
        try_cast(nullif(trim(mode), '') as integer) as is_major,
        try_cast(nullif(trim(duration_ms), '') as bigint) as duration_ms,
        try_cast(nullif(trim(time_signature), '') as integer) as time_signature

    from source

)

select * from renamed
