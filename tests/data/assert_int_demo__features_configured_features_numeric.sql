-- Every column named in var('segmentation').demo.features and .profile_features exists in
-- int_demo__features (else a compile error names it), is numeric, and is non-null on every usable
-- row. Returns one row per problem: feature, problem, offending rows. (No usable rows at all is
-- reported by the fit, which stops with "no usable rows".)
-- depends_on: {{ ref('int_demo__features') }}

{%- set demo = var('segmentation')['demo'] %}
{%- set wanted = [] %}
{%- for feature in demo['features'] + demo['profile_features'] %}
    {%- if feature not in wanted %}{% do wanted.append(feature) %}{% endif %}
{%- endfor %}
{%- set numeric_types = ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'float', 'real', 'double'] %}
{%- set types = {} %}
{%- if execute %}
    {%- do seg_columns(ref('int_demo__features'), wanted) %}
    {%- for column in adapter.get_columns_in_relation(ref('int_demo__features')) %}
        {%- do types.update({column.name | lower: column.dtype | lower}) %}
    {%- endfor %}
{%- endif %}

with

-- Unused only when linted without a database (no column types to check).
usable as (  -- noqa: ST03

    select *
    from {{ ref('int_demo__features') }}
    where quarantine_reason is null

),

problems as (

    select
        'features' as feature,
        'no clustering features configured' as problem,
        {{ 1 if demo['features'] | length == 0 else 0 }} as n_rows
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
