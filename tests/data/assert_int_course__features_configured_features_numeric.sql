-- Every feature and profile feature configured for a case built on int_course__features
-- (course, course_published, course_ward) exists there, is numeric and is non-null on
-- every usable row (and usable rows exist). Returns one row per problem.
{{ config(enabled=seg_features_model_selected('int_course__features')) }}
-- depends_on: {{ ref('int_course__features') }}

{%- set wanted = [] %}
{%- for case_name, case in var('segmentation').items() %}
    {%- if case.get('features_model') == 'int_course__features' %}
        {%- for feature in case['features'] + case.get('profile_features', []) %}
            {%- if feature not in wanted %}{% do wanted.append(feature) %}{% endif %}
        {%- endfor %}
    {%- endif %}
{%- endfor %}
{%- set numeric_types = ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'float', 'real', 'double'] %}
{%- set types = {} %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(ref('int_course__features')) %}
        {%- do types.update({column.name | lower: column.dtype | lower}) %}
    {%- endfor %}
{%- endif %}

with

usable as (

    select *
    from {{ ref('int_course__features') }}
    where quarantine_reason is null

),

problems as (

    select
        'int_course__features' as feature,
        'no usable rows' as problem,
        cast(count(*) = 0 as integer) as n_rows
    from usable
    {% for feature in wanted %}
        {%- set dtype = types.get(feature | lower, 'missing') %}
        union all
        {% if dtype == 'missing' %}
            select
                '{{ feature }}' as feature,
                'missing column' as problem,
                1 as n_rows
        {% elif dtype not in numeric_types and not dtype.startswith('decimal') %}
            select
                '{{ feature }}' as feature,
                'not numeric: {{ dtype }}' as problem,
                1 as n_rows
        {% else %}
            select
                '{{ feature }}' as feature,
                'null on usable rows' as problem,
                count(*) as n_rows
            from usable
            where {{ feature }} is null
        {% endif %}
    {% endfor %}

)

select *
from problems
where n_rows > 0
