-- Every usable row of int_demo__features has exactly one dummy set per bracket and per
-- category (vocabulary + 'other'). Groups are read from var('segmentation').demo, so the
-- test follows the configuration. Returns one row per (subscriber, group) that breaks it.

{%- set demo = var('segmentation')['demo'] %}
{%- set groups = {} %}
{%- for column, edges in demo['brackets'].items() %}
    {%- do groups.update({column: seg_dummy_columns(seg_bracket_labels(edges), column)}) %}
{%- endfor %}
{%- for column, values in demo['categories'].items() %}
    {%- do groups.update({column: seg_dummy_columns(values + ['other'], column)}) %}
{%- endfor %}

with

usable as (

    select *
    from {{ ref('int_demo__features') }}
    where quarantine_reason is null

),

group_sums as (

    {% for group, columns in groups.items() %}
        select
            subscriber_id,
            '{{ group }}' as dummy_group,
            {{ columns | join(' + ') }} as dummies_set
        from usable
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from group_sums
where dummies_set is distinct from 1
