{{ config(materialized='view', enabled=seg_case_selected('songs_gmm')) }}

{{ seg_standardize('songs_gmm') }}
