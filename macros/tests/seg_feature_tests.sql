{#-
    Generic tests on a case's features model (models/intermediate/<case>/int_<case>__features).
    Each reads what it checks from var('segmentation').<case_name>, so it follows the configuration.
-#}

{#-
    seg_features_are_usable(model, case_name, require_usable_rows=true)
    Every column of the case's `features` and `profile_features` exists in model (else
    seg_columns raises a compile error naming it), is numeric and is non-null on every usable
    row (quarantine_reason is null); with require_usable_rows, at least one row is usable.
    A case with no clustering features, or an unknown case, is a compile error (seg_spec).
    Returns one row per problem: feature, problem, offending rows.
-#}
{% test seg_features_are_usable(model, case_name, require_usable_rows=true) %}

{%- set case = seg_spec(case_name) %}
{%- set wanted = [] %}
{%- for feature in case['features'] + case['profile_features'] %}
    {%- if feature not in wanted %}{% do wanted.append(feature) %}{% endif %}
{%- endfor %}
{%- set numeric_types = ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'float', 'real', 'double'] %}
{%- set types = {} %}
{%- if execute %}
    {%- do seg_columns(model, wanted) %}
    {%- for column in adapter.get_columns_in_relation(model) %}
        {%- do types.update({column.name | lower: column.dtype | lower}) %}
    {%- endfor %}
{%- endif %}

with

usable as (

    select *
    from {{ model }}
    where quarantine_reason is null

),

problems as (

    select
        '{{ model.identifier }}' as feature,
        'no usable rows' as problem,
        {{ 'cast(count(*) = 0 as integer)' if require_usable_rows else '0' }} as n_rows
    from usable
    {%- for feature in wanted %}
        {%- set dtype = types.get(feature | lower, 'missing') %}
    union all
        {%- if dtype == 'missing' %}
    select
        '{{ feature }}' as feature,
        'missing column' as problem,
        1 as n_rows
        {%- elif dtype not in numeric_types and not dtype.startswith('decimal') %}
    select
        '{{ feature }}' as feature,
        'not numeric: {{ dtype }}' as problem,
        1 as n_rows
        {%- else %}
    select
        '{{ feature }}' as feature,
        'null on usable rows' as problem,
        count(*) as n_rows
    from usable
    where {{ adapter.quote(feature | lower) }} is null
        {%- endif %}
    {%- endfor %}

)

select *
from problems
where n_rows > 0

{% endtest %}


{#-
    seg_one_hot_groups(model, case_name, other_label='other', id_column=none)
    Every usable row of model has exactly one dummy set per group of the case: per bracketed
    column (seg_bracket_labels of vars.segmentation.<case>.brackets) and per categorical column
    (its vocabulary in .categories, plus other_label when the model maps values outside the
    vocabulary to it; none when it quarantines them). Returns one row per id that breaks it, with
    a <group>__dummies_set column per group; id_column defaults to the case's id_column.
-#}
{% test seg_one_hot_groups(model, case_name, other_label='other', id_column=none) %}

{%- set case = seg_spec(case_name) %}
{%- set id_column = id_column or case['id_column'] %}
{%- set extra = [] if other_label is none else [other_label] %}
{%- set groups = {} %}
{%- for column, edges in case.get('brackets', {}).items() %}
    {%- do groups.update({column: seg_dummy_columns(seg_bracket_labels(edges), column)}) %}
{%- endfor %}
{%- for column, values in case.get('categories', {}).items() %}
    {%- do groups.update({column: seg_dummy_columns(values + extra, column)}) %}
{%- endfor %}
{%- if groups | length == 0 %}
    {{ exceptions.raise_compiler_error(
        "seg_one_hot_groups: case " ~ case_name ~ " configures no brackets or categories") }}
{%- endif %}

with

group_sums as (

    -- One pass over the rows: a column per group counting the dummies set.
    select
        {{ id_column }} as id,
        {%- for group, columns in groups.items() %}
        {{ columns | join(' + ') }} as {{ adapter.quote(group ~ '__dummies_set') }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where quarantine_reason is null

)

select *
from group_sums
where
    {%- for group in groups %}
    {{ 'or ' if not loop.first }}{{ adapter.quote(group ~ '__dummies_set') }} is distinct from 1
    {%- endfor %}

{% endtest %}


{#-
    seg_one_row_per_input(model, input_model, id_column)
    Every input row is accounted for exactly once: model holds the same multiset of id_column
    values (null included) as input_model. id_column may be a list of columns (a composite key;
    a row with any of them null counts as a null id). Compared in one pass per side, by row count, null
    count and a sum of 64-bit hashes of the ids (seg_hash_number), so it costs no join or sort
    at 100 million rows; a different multiset changes the sum except with negligible probability.
    Returns one row with both sides' figures when they differ (find the ids with a full outer
    join on the id counts).
-#}
{% test seg_one_row_per_input(model, input_model, id_column) %}
{%- set key = [id_column] if id_column is string else id_column %}
{%- set hashed = [] %}
{%- for column in key %}{% do hashed.append('cast(' ~ column ~ ' as varchar)') %}{% endfor %}

with

sides as (
    {%- for side, relation in [('input', input_model), ('model', model)] %}
    select
        '{{ side }}' as side,
        count(*) as n_rows,
        count(*) - count(case when {{ key | join(' is not null and ') }} is not null then 1 end) as null_ids,
        sum({{ seg_hash_number(hashed) }}) as id_checksum
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    input_side.n_rows as input_rows,
    model_side.n_rows as model_rows,
    input_side.null_ids as input_null_ids,
    model_side.null_ids as model_null_ids
from sides as input_side
cross join sides as model_side
where
    input_side.side = 'input'
    and model_side.side = 'model'
    and (
        input_side.n_rows != model_side.n_rows
        or input_side.null_ids != model_side.null_ids
        or input_side.id_checksum is distinct from model_side.id_checksum
    )

{% endtest %}

