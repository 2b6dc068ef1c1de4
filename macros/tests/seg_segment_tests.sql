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


{% test seg_rows_accounted_for(model, case_column='case_name', id_column='customer_id') %}
  {#- Every input customer of every case is accounted for exactly once. Fails for every case where
      the input rows differ from rows assigned plus rows quarantined, or the assigned ids are not
      the usable input ids: compared by a sum of 64-bit id hashes (seg_hash_number), so a customer
      assigned twice or not at all fails without a join, sort or group-by over the customers.
      Together with the features models' unique test on usable ids this proves the model's
      (case, id) pairs unique. -#}
  {%- set cases = seg_cases() -%}
  with counts as (
    {% for case_name in cases %}
      {%- set spec = seg_spec(case_name) %}
      {%- set input_id = seg_column(ref(spec.features_model), spec.id_column) %}
      select
        '{{ case_name }}' as case_name,
        (select count(*) from {{ ref(spec.features_model) }}) as input_rows,
        (select count(*) from {{ ref('segment_quarantine') }} where case_name = '{{ case_name }}') as quarantined_rows,
        assigned.assigned_rows,
        (
          select sum({{ seg_hash_number('cast(usable.' ~ input_id ~ ' as varchar)') }})
          from {{ seg_usable_rows(case_name) }} as usable
        ) as usable_id_checksum,
        assigned.assigned_id_checksum
      from (
        select
          count(*) as assigned_rows,
          sum({{ seg_hash_number('cast(' ~ id_column ~ ' as varchar)') }}) as assigned_id_checksum
        from {{ model }}
        where {{ case_column }} = '{{ case_name }}'
      ) as assigned
      {% if not loop.last %}union all{% endif %}
    {%- endfor %}
  )

  select *
  from counts
  where
    input_rows != assigned_rows + quarantined_rows
    or usable_id_checksum is distinct from assigned_id_checksum
{% endtest %}


{% test seg_scored_by_current_model(model, column_name, case_column='case_name') %}
  {#- Fails for every case with rows whose model id (column_name) is not the case's current model,
      null included. Profiles label a case's segments with that one id, and segment_summary
      counts only its rows. -#}
  {%- for case_name in seg_cases() %}
    select
      '{{ case_name }}' as case_name,
      count(*) as rows_by_another_model
    from {{ model }}
    where
      {{ case_column }} = '{{ case_name }}'
      and {{ column_name }} is distinct from {{ seg_current_model_id(case_name) }}
    having count(*) > 0
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endtest %}


{% test seg_every_segment_used(model, case_column='case_name') %}
  {#- Fails for every fitted segment that no customer is assigned to. -#}
  with used as (
    -- a handful of groups, so one hash aggregate over the customers, no join of them
    select distinct {{ case_column }} as case_name, segment_id
    from {{ model }}
  )

  select segments.case_name, segments.segment_id
  from {{ ref('int_segments') }} as segments
  left join used
    on segments.case_name = used.case_name and segments.segment_id = used.segment_id
  where segments.is_current and used.segment_id is null
{% endtest %}


{% test seg_unique_combination(model, columns) %}
  {#- Fails for every combination of `columns` that occurs more than once. -#}
  select {{ columns | join(', ') }}, count(*) as occurrences
  from {{ model }}
  group by {{ columns | join(', ') }}
  having count(*) > 1
{% endtest %}

