-- One row per segment of every case's current model: size, share, the share it had in training, and the
-- segment's term of the population stability index (the health test sums them).
with sizes as (
    select
        model_id,
        segment_id,
        count(*) as customers
    from {{ ref('int_segment_scores') }}
    group by model_id, segment_id
),

shares as (
    select
        segments.case_name,
        segments.model_id,
        segments.segment_id,
        segments.segment_name,
        segments.generated_name,
        segments.fit_share as training_share,
        coalesce(sizes.customers, 0) as customers,
        coalesce(sizes.customers, 0) * 1.0
        / sum(coalesce(sizes.customers, 0)) over (partition by segments.case_name) as share  -- noqa: RF04
    from {{ ref('int_segments') }} as segments
    left join sizes
        on
            segments.model_id = sizes.model_id
            and segments.segment_id = sizes.segment_id
    where segments.is_current
)

select
    *,
    {{ customer_segmentation.seg_psi_term('share', 'training_share') }} as psi_term
from shares
