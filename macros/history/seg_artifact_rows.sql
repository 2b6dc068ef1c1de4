{% macro seg_artifact_rows(kinds, columns) %}
  {#-
    The rows of one kind of model content (or of several: a list) from the long storage
    (int_segment_artifacts), with the model version columns (case_name, model_id, model_version,
    is_current) and `columns`: {storage column: the name of what it holds in this kind}. The one way
    the typed model tables (models/segmentation/model/) read the storage, and nothing else reads it.
  -#}
  {%- set kinds = [kinds] if kinds is string else kinds -%}
  {%- set literals = [] -%}
  {%- for kind in kinds -%}
    {%- do literals.append(customer_segmentation.seg_literal(kind)) -%}
  {%- endfor -%}
  {%- for stored in columns if stored not in ['artifact', 'segment_id', 'k', 'name', 'value', 'text'] -%}
    {{ exceptions.raise_compiler_error("seg_artifact_rows: '" ~ stored ~ "' is not a column of the model storage") }}
  {%- endfor %}
  select
    case_name,
    model_id,
    model_version,
    is_current,
    {%- for stored, meaning in columns.items() %}
      {{ stored }}{% if meaning != stored %} as {{ meaning }}{% endif %}{% if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ ref('int_segment_artifacts') }}
  where artifact in ({{ literals | join(', ') }})
{% endmacro %}


{% macro seg_pivot_model_rows(rows, keys, field, value, columns) %}
  {#-
    The one pivot of the typed model tables: one row per model version and `keys` of the long `rows` (a
    relation or CTE with the version columns, `keys`, `field` and `value`), and a column per entry of
    `columns`: [column name, the `field` value it takes, SQL type to cast to or none], with an optional
    fourth item, the column of `rows` to read instead of `value`.
  -#}
  {%- set group = ['case_name', 'model_id', 'model_version', 'is_current'] + keys %}
  select
    {%- for column in group %}
    {{ column }},
    {%- endfor %}
    {%- for column in columns %}
    {%- set read = 'max(case when ' ~ field ~ ' = ' ~ customer_segmentation.seg_literal(column[1]) ~ ' then '
      ~ (column[3] if column | length > 3 else value) ~ ' end)' %}
    {{ 'cast(' ~ read ~ ' as ' ~ column[2] ~ ')' if column[2] else read }} as {{ column[0] }}{{ ',' if not loop.last }}
    {%- endfor %}
  from {{ rows }}
  group by {{ group | join(', ') }}
{% endmacro %}
