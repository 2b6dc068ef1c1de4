-- One row per staged track: a quarantine reason (null = usable) and the audio features
-- of the songs case, plus descriptive columns for profiles and the similar-tracks mart.
-- Valid ranges come from var('segmentation').songs.valid_ranges; popularity is carried
-- for profiles only (never clustered).
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_songs__features')) }}

{%- set ranges = var('segmentation')['songs']['valid_ranges'] %}

{#- Checks every usable row passes, in the order their reasons are reported. -#}
{%- set value_checks = [] %}
{%- for feature, bounds in ranges.items() %}
    {%- do value_checks.append([customer_segmentation.seg_range_condition(feature, bounds), 'invalid_' ~ feature]) %}
{%- endfor %}
{%- set id_checks = customer_segmentation.seg_id_checks('track_id') %}

with

-- Of rows sharing a track id, keep the first: rows passing the value checks before
-- failing ones, then the lowest source index (deterministic).
ranked as (

    {{ customer_segmentation.seg_ranked_rows(ref('stg_songs__tracks'), 'track_id', ['source_index asc nulls last'],
        customer_segmentation.seg_quarantine_reason(value_checks)) }}

)

select
    track_id,
    {{ customer_segmentation.seg_quarantine_reason(id_checks + value_checks) }} as quarantine_reason,
    artist_name,
    track_name,
    genre,
    release_year,
    popularity,
    danceability,
    energy,
    valence,
    tempo,
    loudness,
    acousticness,
    speechiness,
    instrumentalness,
    liveness,
    duration_ms / 60000.0 as duration_minutes,
    is_major,
    musical_key,
    time_signature
from ranked
