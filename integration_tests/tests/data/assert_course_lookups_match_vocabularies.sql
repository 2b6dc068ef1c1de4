-- The lookup seeds and the course vocabularies agree: every name in
-- var('segmentation').course.categories.region / .channel is a name of seed
-- course_regions / course_channels and vice versa, so every known code gets a dummy.
-- Returns one row per name found on one side only.

{%- set categories = var('segmentation')['course']['categories'] %}
{%- set lookups = [
    ['region', ref('course_regions'), 'region_name'],
    ['channel', ref('course_channels'), 'channel_name'],
] %}

with

{% for group, seed, name_column in lookups %}
    {{ group }}_vocabulary as (

        select unnest([
            {%- for value in categories[group] -%}
                {{ customer_segmentation.seg_literal(value) }}{{ ", " if not loop.last }}
            {%- endfor -%}
        ]) as category_name

    ),

    {{ group }}_differences as (

        select
            '{{ group }}' as dummy_group,
            coalesce(vocabulary.category_name, lookup.{{ name_column }}) as category_name,
            case
                when lookup.{{ name_column }} is null then 'in vars only'
                else 'in seed only'
            end as problem
        from {{ group }}_vocabulary as vocabulary
        full outer join {{ seed }} as lookup
            on vocabulary.category_name = lookup.{{ name_column }}
        where vocabulary.category_name is null or lookup.{{ name_column }} is null

    ){{ "," if not loop.last }}
{% endfor %}

{% for group, seed, name_column in lookups %}
    select * from {{ group }}_differences
    {% if not loop.last %}union all{% endif %}
{% endfor %}
