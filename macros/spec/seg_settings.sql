{% macro seg_settings() %}
  {#-
    Every setting a case can have: [type, default]. The one place settings and their defaults are
    declared; var('segmentation_defaults') overrides defaults for every case, a case's own mapping
    overrides both (seg_spec). The Python engine receives the resolved settings and declares none.
    Types: text, integer, number, boolean, list, mapping, relation, any; a trailing '?' allows null.
  -#}
  {{ return({
    'source': ['relation?', none],
    'features_model': ['text?', none],
    'id_column': ['text?', none],
    'numeric': ['list', []],
    'categories': ['mapping', {}],
    'brackets': ['mapping', {}],
    'valid_ranges': ['mapping', {}],
    'whole_numbers': ['list', []],
    'blank_rules': ['mapping', {}],
    'category_map': ['mapping', {}],
    'invalid_categories': ['mapping', {}],
    'features': ['list?', none],
    'profile_features': ['list?', none],
    'feature_labels': ['mapping', {}],
    'blank_fill_flags': ['mapping', {}],
    'target_columns': ['list', []],
    'segment_names': ['mapping', {}],
    'custom': ['mapping', {}],
    'correlation_sample_size': ['integer', 100000],
    'projection_sample_size': ['integer', 50000],
    'rules_sample_size': ['integer', 100000],
    'algorithm': ['text', 'kmeans'],
    'k': ['integer?', none],
    'k_min': ['integer', 2],
    'k_max': ['integer', 10],
    'k_sweep': ['boolean?', none],
    'k_choice': ['text', 'actionable'],
    'min_segment_stability': ['number', 0.8],
    'min_segment_share': ['number', 0.02],
    'max_segment_share': ['number', 0.5],
    'transforms': ['mapping', {}],
    'winsorize_quantiles': ['list', [0.01, 0.99]],
    'random_state': ['integer', 42],
    'n_init': ['integer', 10],
    'n_seeds': ['integer', 8],
    'kmeans_init': ['text', 'k-means++'],
    'sweep_n_init': ['integer', 3],
    'silhouette_sample_size': ['integer', 5000],
    'ward_sample_size': ['integer', 10000],
    'fit_sample_size': ['integer', 100000],
    'sweep_sample_size': ['integer', 20000],
    'name_max_traits': ['integer', 3],
    'rule_max_depth': ['integer', 3],
    'rules_per_segment': ['integer', 3],
    'covariance_type': ['text', 'full'],
    'categorical_features': ['list', []],
    'gamma': ['number', 0.5],
    'reduction': ['mapping?', none],
    'stability_bootstraps': ['integer', 5],
    'stability_sample_size': ['integer', 2000],
    'refit_tolerance': ['number', 0.01],
    'refit_drift_threshold': ['number', 0.5],
  }) }}
{% endmacro %}


{% macro seg_health() %}
  {#- Segment-health thresholds and the tests' severity: these defaults overlaid with var('segment_health'). -#}
  {%- set health = {
    'severity': 'warn',
    'max_population_stability_index': 0.2,
    'max_segment_churn': 0.2,
    'max_centroid_shift': 1.0,
    'min_silhouette': 0.1,
    'max_feature_drift': 0.5,
    'max_blank_fill_share': 0.5,
  } -%}
  {%- set overrides = var('segment_health', {}) or {} -%}
  {%- for key in overrides if key not in health -%}
    {{ exceptions.raise_compiler_error(
      "vars.segment_health: unknown setting '" ~ key ~ "'" ~ customer_segmentation.seg_did_you_mean(key, health.keys() | list)
      ~ "; settings: " ~ (health.keys() | join(', '))
    ) }}
  {%- endfor -%}
  {%- do health.update(overrides) -%}
  {%- if health.severity not in ['warn', 'error'] -%}
    {{ exceptions.raise_compiler_error("vars.segment_health.severity must be warn or error, got " ~ (health.severity | tojson) ~ ".") }}
  {%- endif -%}
  {%- for key, value in health.items() if key != 'severity' -%}
    {%- do customer_segmentation.seg_number(value, 'vars.segment_health.' ~ key) -%}
  {%- endfor -%}
  {{ return(health) }}
{% endmacro %}
