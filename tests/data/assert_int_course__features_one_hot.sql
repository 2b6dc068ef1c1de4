-- Every usable row of int_course__features has exactly one region dummy and one channel
-- dummy set. Groups are read from var('segmentation').course.categories, so the test
-- follows the configuration. Returns one row per (customer, group) that breaks it.
{{ config(enabled=seg_features_model_selected('int_course__features')) }}

{%- set categories = var('segmentation')['course']['categories'] %}

with

usable as (

    select *
    from {{ ref('int_course__features') }}
    where quarantine_reason is null

),

group_sums as (

    {% for group, values in categories.items() %}
        select
            customer_id,
            '{{ group }}' as dummy_group,
            {{ seg_dummy_columns(values, group) | join(' + ') }} as dummies_set
        from usable
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from group_sums
where dummies_set is distinct from 1
