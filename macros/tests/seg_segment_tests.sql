{% test seg_shares_sum_to_one(model, column_name, group_by, tolerance=0.000001) %}
  {#- Fails for every group whose shares do not add up to 1. -#}
  select {{ group_by }}, sum({{ column_name }}) as total_share
  from {{ model }}
  group by {{ group_by }}
  having abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}


{% test seg_is_standardized(model, case_name, tolerance=0.000001) %}
  {#- Fails for every clustering feature of the case whose mean is not 0 or population sd not 1.
      A constant feature (sd 0, all z = 0) is left to the fit, which stops with an error naming it. -#}
  {%- set spec = seg_spec(case_name) -%}
  {%- set columns = seg_columns(model, spec.features) -%}
  with moments as (
    -- One pass over the rows for every feature.
    select
      {%- for column in columns %}
      avg({{ column }}) as mean_{{ loop.index }},
      stddev_pop({{ column }}) as sd_{{ loop.index }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ model }}
  )
  {% for column in columns %}
    select
      '{{ spec.features[loop.index0] }}' as feature,
      mean_{{ loop.index }} as mean_value,
      sd_{{ loop.index }} as sd_value
    from moments
    where
      sd_{{ loop.index }} > 0
      and (abs(mean_{{ loop.index }}) > {{ tolerance }} or abs(sd_{{ loop.index }} - 1) > {{ tolerance }})
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endtest %}


{% test seg_rows_accounted_for(model, case_column='case_name') %}
  {#- Fails for every case where the input rows differ from rows assigned plus rows quarantined. -#}
  {%- set cases = seg_cases() -%}
  with counts as (
    {% for case_name in cases %}
      {%- set spec = seg_spec(case_name) %}
      select
        '{{ case_name }}' as case_name,
        (select count(*) from {{ ref(spec.features_model) }}) as input_rows,
        (select count(*) from {{ model }} where {{ case_column }} = '{{ case_name }}') as assigned_rows,
        (select count(*) from {{ ref('segment_quarantine') }} where case_name = '{{ case_name }}') as quarantined_rows
      {% if not loop.last %}union all{% endif %}
    {%- endfor %}
  )

  select *
  from counts
  where input_rows != assigned_rows + quarantined_rows
{% endtest %}


{% test seg_every_segment_used(model, case_column='case_name') %}
  {#- Fails for every fitted segment that no customer is assigned to. -#}
  select segments.case_name, segments.segment_id
  from {{ ref('int_segments') }} as segments
  left join {{ model }} as assignments
    on segments.case_name = assignments.{{ case_column }} and segments.segment_id = assignments.segment_id
  where segments.is_current
  group by segments.case_name, segments.segment_id
  having count(assignments.segment_id) = 0
{% endtest %}


{% test seg_unique_combination(model, columns) %}
  {#- Fails for every combination of `columns` that occurs more than once. -#}
  select {{ columns | join(', ') }}, count(*) as occurrences
  from {{ model }}
  group by {{ columns | join(', ') }}
  having count(*) > 1
{% endtest %}

