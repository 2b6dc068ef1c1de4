-- k-means (case songs) against a Gaussian mixture (case songs_gmm) on the same tracks and
-- features: one row per case with its chosen k, the final fit's silhouette / Calinski-Harabasz /
-- Davies-Bouldin (on the model's own labels) and the bootstrap stability at that k, plus the k
-- each algorithm would pick for stability alone. Enabled when both cases are in the run.
{{ config(enabled=customer_segmentation.seg_case_selected('songs')
    and customer_segmentation.seg_case_selected('songs_gmm')) }}

with

runs as (

    select
        case_name,
        model_id,
        algorithm,
        k,
        silhouette,
        calinski_harabasz,
        davies_bouldin
    from {{ ref('segment_model_runs') }}
    where is_current and case_name in ('songs', 'songs_gmm')

),

sweep as (

    select
        case_name,
        model_id,
        k,
        stability,
        bic,
        row_number() over (partition by case_name order by stability desc, k asc) as stability_rank
    from {{ ref('segment_k_selection') }}
    where is_current and case_name in ('songs', 'songs_gmm')

)

select
    runs.case_name,
    runs.algorithm,
    runs.model_id,
    runs.k,
    runs.silhouette,
    runs.calinski_harabasz,
    runs.davies_bouldin,
    at_k.stability,
    at_k.bic,
    most_stable.k as most_stable_k,
    most_stable.stability as most_stable_stability
from runs
left join sweep as at_k
    on
        runs.case_name = at_k.case_name
        and runs.model_id = at_k.model_id
        and runs.k = at_k.k
left join sweep as most_stable
    on
        runs.case_name = most_stable.case_name
        and runs.model_id = most_stable.model_id
        and most_stable.stability_rank = 1
