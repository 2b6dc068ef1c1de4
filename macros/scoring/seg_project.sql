{% macro seg_project(points, id_column, projections, case_name, features, projection='reduction', n_components=none) %}
  {#-
    Projects the standardised features of every row of `points` with a linear map stored by the
    case's fit, read from `projections` (rows of one model version shaped as int_segment_projections):
      component_j = sum_i (x_i - feature_mean_i) * weight[j, i]
    `projection` picks the map: 'reduction' (what the case clusters on, vars reduction) or
    'projection_2d' (the 2-D PCA for scatter plots).
    n_components defaults to the case's reduction.n_components ('reduction') or 2 ('projection_2d');
    components the model lacks come out null.
    Returns: <id_column>, component_1, ..., component_<n_components>.
  -#}
  {%- if n_components is none -%}
    {%- if projection == 'projection_2d' -%}
      {%- set n_components = 2 -%}
    {%- else -%}
      {%- set reduction = customer_segmentation.seg_spec(case_name).get('reduction') -%}
      {%- if not reduction -%}
        {{ exceptions.raise_compiler_error(
          "seg_project: case '" ~ case_name ~ "' has no reduction (vars.segmentation." ~ case_name
          ~ ".reduction); pass n_components or projection='projection_2d'"
        ) }}
      {%- endif -%}
      {%- set n_components = reduction.n_components -%}
    {%- endif -%}
  {%- endif -%}
  {{ return(adapter.dispatch('seg_project', 'customer_segmentation')(
      points, id_column, projections, case_name, features, projection, n_components
  )) }}
{% endmacro %}


{% macro default__seg_project(points, id_column, projections, case_name, features, projection, n_components) %}
  with projection as (
    select
      {%- for feature in features %}
        {%- set i = loop.index %}
        max(case when feature = '{{ feature | lower }}' then feature_mean end) as mean_{{ i }},
        {%- for j in range(1, n_components + 1) %}
        max(case when component = {{ j }} and feature = '{{ feature | lower }}' then weight end)
          as weight_{{ j }}_{{ i }}{% if not (loop.last and i == features | length) %},{% endif %}
        {%- endfor %}
      {%- endfor %}
    from {{ projections }}
    where case_name = {{ customer_segmentation.seg_literal(case_name) }} and projection = '{{ projection }}'
  )

  select
    points.{{ id_column }},
    {%- for j in range(1, n_components + 1) %}
      {%- set outer = loop %}
    (
      {%- for feature in features %}
      (points.{{ adapter.quote(feature | lower) }} - projection.mean_{{ loop.index }})
        * projection.weight_{{ j }}_{{ loop.index }}{% if not loop.last %} +{% endif %}
      {%- endfor %}
    ) as component_{{ j }}{% if not outer.last %},{% endif %}
    {%- endfor %}
  from {{ points }} as points
  cross join projection
{% endmacro %}


{% macro seg_component_names(n_components) %}
  {#- component_1 .. component_<n_components>: the columns seg_project returns. -#}
  {%- set names = [] -%}
  {%- for j in range(1, n_components + 1) -%}
    {%- do names.append('component_' ~ j) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}


{% macro seg_model_centres(centres, case_name, coordinate='component', value='centroid_value') %}
  {#-
    A model's centres in its own space, shaped for seg_nearest_centroid: (segment_id, feature,
    centroid_value). `centres`: rows of one model version of int_segment_reduced_centroids (the defaults:
    centroids in the reduced component space) or of int_segment_gmm_means (coordinate='model_feature',
    value='mean_value': mixture component means). Score a reduction case with
    seg_nearest_centroid(<seg_project output>, id, <this>, 'true', seg_component_names(n_components)).
  -#}
  (
    select
      segment_id,
      {{ coordinate }} as feature,
      {{ value }} as centroid_value
    from {{ centres }}
    where case_name = {{ customer_segmentation.seg_literal(case_name) }}
  )
{% endmacro %}


{% macro seg_model_points(case_name, rows=none) %}
  {#- A case's usable rows (or `rows` of them) standardised with its current model's training scaler, as scoring does. -#}
  {{ customer_segmentation.seg_standardized_rows(
      case_name,
      rows or customer_segmentation.seg_usable_rows(case_name),
      customer_segmentation.seg_scaler_rows(ref('int_segment_model_scalers'), case_name, 'is_current')
  ) }}
{% endmacro %}


{% macro seg_projection_2d_case(case_name) %}
  {#-
    A case's assigned customers on the 2-D PCA map of its current model (int_segment_projections): (case_name, customer_id, segment_id, pc1, pc2), for scatter plots; past
    projection_sample_size customers, about that many chosen by a hash of the id.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  {%- set sample = customer_segmentation.seg_hash_sample(customer_segmentation.seg_usable_rows(case_name), id_column, spec.projection_sample_size, spec.random_state) -%}
  with standardized as (
    {{ customer_segmentation.seg_model_points(case_name, sample) }}
  ),

  projected as (
    {{ customer_segmentation.seg_project(
        'standardized', id_column, customer_segmentation.seg_current_model(case_name, 'int_segment_projections'),
        case_name, spec.features, projection='projection_2d', n_components=2
    ) }}
  )

  select
    assignments.case_name,
    assignments.customer_id,
    assignments.segment_id,
    projected.component_1 as pc1,
    projected.component_2 as pc2
  from projected
  {{ customer_segmentation.seg_join_assignments(case_name, 'projected') }}
{% endmacro %}
