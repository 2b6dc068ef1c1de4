{#-
  A case is one entry of var('segmentation'): {case name: settings}. seg_spec resolves and validates
  it (the only place a case's settings are merged); seg_cases lists the cases this run builds. A
  case with a problem is left out of every shared model, and the test seg_cases_built names the
  problem, so one case's mistake never stops the others.
-#}

{% macro seg_configured_cases() %}
  {#- var('segmentation') as a mapping of case name to settings. -#}
  {%- set cases = var('segmentation', {}) or {} -%}
  {%- if cases is not mapping -%}
    {{ exceptions.raise_compiler_error(
      "vars.segmentation must map case names to their settings, e.g. {customers: {source: raw_customers, "
      ~ "id_column: customer_id, numeric: [age, income]}}; got " ~ cases
    ) }}
  {%- endif -%}
  {{ return(cases) }}
{% endmacro %}


{% macro seg_selected_cases() %}
  {#- The case names this run builds: var('segmentation_cases') if set (a list), else every configured case. -#}
  {%- set chosen = var('segmentation_cases', none) -%}
  {%- if chosen is none -%}
    {{ return(customer_segmentation.seg_configured_cases().keys() | list) }}
  {%- endif -%}
  {%- if chosen is string or chosen is mapping -%}
    {{ exceptions.raise_compiler_error(
      "vars.segmentation_cases must be a list of case names (or null for every case), got " ~ chosen
    ) }}
  {%- endif -%}
  {{ return(chosen | list) }}
{% endmacro %}


{% macro seg_cases() %}
  {#- The cases this run builds that have no problem. When running: the rows of int_segment_specs without
      a problem (the one place a case's columns are checked); while parsing, or before that model exists:
      the selected cases whose settings have no problem. -#}
  {%- set specs = ref('int_segment_specs') -%}
  {%- set cases = [] -%}
  {%- if execute and load_relation(specs) is not none -%}
    {%- set usable = run_query("select case_name from " ~ specs ~ " where problem is null").columns[0].values() -%}
    {%- for case_name in customer_segmentation.seg_selected_cases() if case_name in usable -%}
      {%- do cases.append(case_name) -%}
    {%- endfor -%}
  {%- else -%}
    {%- for case_name in customer_segmentation.seg_selected_cases() if not customer_segmentation.seg_spec_problems(case_name) -%}
      {%- do cases.append(case_name) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(cases) }}
{% endmacro %}


{% macro seg_spec(case_name) %}
  {#- The case's resolved settings (seg_resolve); an error naming the problem when it has one. -#}
  {%- set problems = customer_segmentation.seg_spec_problems(case_name) -%}
  {%- if problems -%}
    {{ customer_segmentation.seg_fail(problems | join(' ')) }}
  {%- endif -%}
  {{ return(customer_segmentation.seg_resolve(case_name)) }}
{% endmacro %}


{% macro seg_resolve(case_name) %}
  {#- seg_settings defaults, overlaid with var('segmentation_defaults'), overlaid with the case; then the
      derived defaults: features (a plain case: its numeric columns and category dummies; with
      categorical_features also their dummies, seg_categorical_columns), profile_features
      (the features; a plain case: every column it generates), blank_fill_flags of median-filled blanks. -#}
  {%- set spec = {'case_name': case_name} -%}
  {%- for key, setting in customer_segmentation.seg_settings().items() -%}
    {%- do spec.update({key: setting[1]}) -%}
  {%- endfor -%}
  {%- do spec.update(var('segmentation_defaults', {}) or {}) -%}
  {%- do spec.update(customer_segmentation.seg_configured_cases().get(case_name) or {}) -%}
  {%- if not spec.features_model -%}
    {%- set generated = customer_segmentation.seg_plain_columns(spec) -%}
    {%- if spec.features is none -%}
      {%- do spec.update({'features': generated.features}) -%}
    {%- endif -%}
    {%- if spec.profile_features is none -%}
      {%- do spec.update({'profile_features': generated.all}) -%}
    {%- endif -%}
    {%- set flags = {} -%}
    {%- for column, rule in spec.blank_rules.items() if rule == 'median' and column in spec.features -%}
      {%- do flags.update({column: column ~ '_was_blank'}) -%}
    {%- endfor -%}
    {%- do flags.update(spec.blank_fill_flags) -%}
    {%- do spec.update({'blank_fill_flags': flags}) -%}
  {%- endif -%}
  {%- set categorical = customer_segmentation.seg_categorical_columns(spec) -%}
  {%- if categorical -%}
    {%- do spec.update({'features': (spec.features or []) + (categorical | reject('in', spec.features or []) | list)}) -%}
  {%- endif -%}
  {%- if spec.profile_features is none -%}
    {%- do spec.update({'profile_features': spec.features}) -%}
  {%- endif -%}
  {{ return(spec) }}
{% endmacro %}


{% macro seg_categorical_columns(spec) %}
  {#- The indicator columns of a case's categorical_features (kprototypes): per column the dummies of its
      vocabulary and of 'other', named as seg_dummies names them. -#}
  {%- set columns = [] -%}
  {%- for column in spec.categorical_features if customer_segmentation.seg_has_type(spec.categories.get(column), 'list') -%}
    {%- do columns.extend(customer_segmentation.seg_dummy_columns(spec.categories[column] + ['other'], column)) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}


{% macro seg_spec_problems(case_name) %}
  {#- One sentence per problem of the case's settings that can be seen without the data: unknown case,
      unknown setting (with the nearest known name), wrong type, missing required setting, features the
      case does not generate. Empty when the settings are usable. -#}
  {%- set cases = customer_segmentation.seg_configured_cases() -%}
  {%- set where = "case '" ~ case_name ~ "'" -%}
  {%- if case_name not in cases -%}
    {{ return([where ~ " is listed in vars.segmentation_cases but not configured in vars.segmentation"
      ~ customer_segmentation.seg_did_you_mean(case_name, cases.keys() | list) ~ " (configured: " ~ (cases.keys() | join(', ')) ~ ")."]) }}
  {%- endif -%}
  {%- set problems = [] -%}
  {%- if not customer_segmentation.seg_is_name(case_name) -%}
    {{ return([where ~ ": a case name must be letters, digits and underscores, starting with a letter or _."]) }}
  {%- endif -%}
  {%- set settings = customer_segmentation.seg_settings() -%}
  {%- set given = cases[case_name] or {} -%}
  {%- if given is not mapping -%}
    {{ return([where ~ ": the settings must be a mapping of setting: value, got " ~ given ~ "."]) }}
  {%- endif -%}
  {%- for scope, values in [['vars.segmentation_defaults', var('segmentation_defaults', {}) or {}], ['vars.segmentation.' ~ case_name, given]] -%}
    {%- for key, value in values.items() -%}
      {%- if key not in settings -%}
        {%- do problems.append(where ~ ": unknown setting '" ~ key ~ "' in " ~ scope
          ~ customer_segmentation.seg_did_you_mean(key, settings.keys() | list) ~ " (settings are listed in the README).") -%}
      {%- elif not customer_segmentation.seg_has_type(value, settings[key][0]) -%}
        {%- do problems.append(where ~ ": " ~ scope ~ "." ~ key ~ " must be " ~ customer_segmentation.seg_type_phrase(settings[key][0])
          ~ ", got " ~ (value | tojson) ~ ".") -%}
      {%- endif -%}
    {%- endfor -%}
    {%- set brackets = values.get('brackets') if values.get('brackets') is mapping else {} -%}
    {%- for column, edges in brackets.items() if not customer_segmentation.seg_ascending_whole_numbers(edges) -%}
      {%- do problems.append(where ~ ": " ~ scope ~ ".brackets." ~ column ~ " must be ascending whole numbers, e.g. [18, 25, 35], got "
        ~ (edges | tojson) ~ ".") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- if problems -%}
    {{ return(problems) }}
  {%- endif -%}
  {%- set spec = customer_segmentation.seg_resolve(case_name) -%}
  {#- Names from settings are quoted into SQL as identifiers and as text: only plain names are accepted. -#}
  {%- for key in ['id_column', 'numeric', 'features', 'profile_features', 'target_columns', 'categories', 'brackets',
      'valid_ranges', 'whole_numbers', 'blank_rules', 'blank_fill_flags', 'feature_labels', 'transforms'] -%}
    {%- set value = spec[key] -%}
    {%- set names = [] if value is none else ([value] if value is string else (value | list)) + (value.values() | list if key == 'blank_fill_flags' else []) -%}
    {%- for name in names if not customer_segmentation.seg_is_name(name) -%}
      {%- do problems.append(where ~ ": " ~ key ~ " names the column " ~ (name | tojson)
        ~ ", but column names must be letters, digits and underscores (starting with a letter or _).") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- if problems -%}
    {{ return(problems) }}
  {%- endif -%}
  {%- if not spec.features_model -%}
    {%- for key in ['brackets', 'valid_ranges', 'whole_numbers', 'blank_rules'] -%}
      {%- for column in spec[key] if column not in spec.numeric -%}
        {%- do problems.append(where ~ ": " ~ key ~ "." ~ column ~ " names a column that is not in numeric"
          ~ customer_segmentation.seg_did_you_mean(column, spec.numeric) ~ " (numeric: " ~ (spec.numeric | join(', ')) ~ ").") -%}
      {%- endfor -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if not spec.id_column -%}
    {%- do problems.append(where ~ ": id_column is not set; name the column that identifies a customer.") -%}
  {%- endif -%}
  {%- if not spec.source and not spec.features_model -%}
    {%- do problems.append(where ~ ": set source (the customer table: a model name, {ref: name} or "
      ~ "{source: name, table: name}) or features_model (your own SQL feature model).") -%}
  {%- endif -%}
  {%- if spec.features_model and spec.get('features') is none -%}
    {%- do problems.append(where ~ ": features is not set; list the columns of " ~ spec.features_model ~ " to cluster on.") -%}
  {%- endif -%}
  {%- for column, rule in spec.blank_rules.items() if rule not in ['quarantine', 'zero', 'median'] -%}
    {%- do problems.append(where ~ ": blank_rules." ~ column ~ " must be one of quarantine, zero, median, got '" ~ rule ~ "'.") -%}
  {%- endfor -%}
  {%- for column, bounds in spec.valid_ranges.items() if not customer_segmentation.seg_has_type(bounds, 'list')
        or bounds | length != 2 or bounds | reject('none') | reject('number') | list or bounds | select('boolean') | list -%}
    {%- do problems.append(where ~ ": valid_ranges." ~ column ~ " must be [min, max], numbers or null, got " ~ (bounds | tojson) ~ ".") -%}
  {%- endfor -%}
  {%- for column, transform in spec.transforms.items() if transform not in ['winsorize', 'log'] or column not in (spec.features or []) -%}
    {%- do problems.append(where ~ ": transforms." ~ column ~ " must be winsorize or log, on one of the case's features, got "
      ~ (transform | tojson) ~ ".") -%}
  {%- endfor -%}
  {%- if not spec.gamma > 0 -%}
    {%- do problems.append(where ~ ": gamma must be a number above 0 (the cost of one category mismatch), got " ~ (spec.gamma | tojson) ~ ".") -%}
  {%- endif -%}
  {%- if spec.k_choice not in ['actionable', 'statistical'] -%}
    {%- do problems.append(where ~ ": k_choice must be actionable or statistical, got " ~ (spec.k_choice | tojson) ~ ".") -%}
  {%- endif -%}
  {%- for key in ['min_segment_stability', 'min_segment_share', 'max_segment_share'] if not (0 <= spec[key] <= 1) -%}
    {%- do problems.append(where ~ ": " ~ key ~ " must be a number between 0 and 1, got " ~ (spec[key] | tojson) ~ ".") -%}
  {%- endfor -%}
  {%- set quantiles = spec.winsorize_quantiles -%}
  {%- if quantiles | length != 2 or quantiles | reject('number') | list or quantiles | select('boolean') | list
        or not (0 <= quantiles[0] < quantiles[1] <= 1) -%}
    {%- do problems.append(where ~ ": winsorize_quantiles must be [low, high] with 0 <= low < high <= 1, e.g. [0.01, 0.99], got "
      ~ (quantiles | tojson) ~ ".") -%}
  {%- endif -%}
  {#- brackets were checked above (ascending whole numbers, so not empty) -#}
  {%- for column in spec.categorical_features if column not in spec.categories -%}
    {%- do problems.append(where ~ ": categorical_features names '" ~ column ~ "', which has no vocabulary in categories"
      ~ customer_segmentation.seg_did_you_mean(column, spec.categories.keys() | list) ~ ".") -%}
  {%- endfor -%}
  {%- for column, values in spec.categories.items() if not customer_segmentation.seg_has_type(values, 'list') or not values -%}
    {%- do problems.append(where ~ ": categories." ~ column ~ " must be a non-empty list, got " ~ (values | tojson) ~ ".") -%}
  {%- endfor -%}
  {%- if problems or spec.features_model -%}
    {{ return(problems) }}
  {%- endif -%}
  {#- A plain case: its features must be columns it generates. -#}
  {%- set generated = customer_segmentation.seg_plain_columns(spec).all -%}
  {%- for feature in (spec.features or []) + (spec.profile_features or []) if feature not in generated -%}
    {%- do problems.append(where ~ ": feature '" ~ feature ~ "' is not a column the case generates"
      ~ customer_segmentation.seg_did_you_mean(feature, generated) ~ " (it generates: " ~ (generated | join(', ')) ~ ").") -%}
  {%- endfor -%}
  {%- if not spec.features -%}
    {%- do problems.append(where ~ ": no features to cluster on; list numeric columns or categories.") -%}
  {%- endif -%}
  {{ return(problems) }}
{% endmacro %}


{% macro seg_case_problems(case_name) %}
  {#- seg_spec_problems, and when dbt runs (not while parsing), configured columns missing from the case's
      table (its features_model, or a plain case's source). Called by int_segment_specs alone: the one
      model that reads every case's table; every other model takes the cases from it (seg_cases). -#}
  {%- set problems = customer_segmentation.seg_spec_problems(case_name) -%}
  {%- if problems -%}
    {{ return(problems) }}
  {%- endif -%}
  {%- set spec = customer_segmentation.seg_resolve(case_name) -%}
  {%- set relation = ref(spec.features_model) if spec.features_model else customer_segmentation.seg_source_relation(spec) -%}
  {%- if not execute -%}
    {{ return(problems) }}
  {%- endif -%}
  {%- if spec.features_model -%}
    {%- set wanted = [spec.id_column, 'quarantine_reason'] + spec.features + spec.profile_features
      + (spec.blank_fill_flags.values() | list) -%}
  {%- else -%}
    {%- set wanted = [spec.id_column] + spec.numeric + (spec.categories.keys() | list) -%}
  {%- endif -%}
  {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
  {%- if not existing -%}
    {{ return(["case '" ~ case_name ~ "': the table " ~ relation ~ " does not exist or has no columns."]) }}
  {%- endif -%}
  {%- for column in wanted | unique if column | lower not in existing -%}
    {%- do problems.append("case '" ~ case_name ~ "': column '" ~ column ~ "' is not in " ~ relation
      ~ customer_segmentation.seg_did_you_mean(column | lower, existing) ~ " (columns there: " ~ (existing | join(', ')) ~ ").") -%}
  {%- endfor -%}
  {{ return(problems) }}
{% endmacro %}


{% macro seg_has_type(value, type_name) %}
  {%- set base = type_name | replace('?', '') -%}
  {%- if value is none -%}
    {{ return(type_name.endswith('?')) }}
  {%- elif base == 'text' -%}
    {{ return(value is string and value | length > 0) }}
  {%- elif base == 'integer' -%}
    {{ return(value is integer) }}
  {%- elif base == 'number' -%}
    {{ return(value is number and value is not boolean) }}
  {%- elif base == 'boolean' -%}
    {{ return(value is boolean) }}
  {%- elif base == 'list' -%}
    {{ return(value is iterable and value is not string and value is not mapping) }}
  {%- elif base == 'mapping' -%}
    {{ return(value is mapping) }}
  {%- elif base == 'relation' -%}
    {{ return((value is string and value | length > 0) or (value is mapping and (value.keys() | list | sort) in [['ref'], ['source', 'table']])) }}
  {%- endif -%}
  {{ return(true) }}
{% endmacro %}


{% macro seg_is_name(name) %}
  {#- True for a plain SQL name (letters, digits, underscores; not starting with a digit). -#}
  {{ return(name is string and modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', name) is not none) }}
{% endmacro %}


{% macro seg_number(value, what) %}
  {#- `value` when it is a number (not a boolean): numbers from settings and vars reach SQL only through
      this check; anything else stops the build with a sentence naming `what`. -#}
  {%- if value is not number or value is boolean -%}
    {{ exceptions.raise_compiler_error(what ~ " must be a number, got " ~ (value | tojson) ~ ".") }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}


{% macro seg_ascending_whole_numbers(values) %}
  {%- if values is string or values is mapping or values is not iterable or not values -%}
    {{ return(false) }}
  {%- endif -%}
  {%- for value in values -%}
    {%- if value is not number or value is boolean or value != value | int or (not loop.first and value <= values[loop.index0 - 1]) -%}
      {{ return(false) }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(true) }}
{% endmacro %}


{% macro seg_type_phrase(type_name) %}
  {%- set phrases = {
    'text': 'a name', 'integer': 'a whole number', 'number': 'a number', 'boolean': 'true or false',
    'list': 'a list', 'mapping': 'a mapping', 'relation': 'a model name, {ref: name} or {source: name, table: name}',
  } -%}
  {%- set phrase = phrases[type_name | replace('?', '')] -%}
  {{ return(phrase ~ (' or null' if type_name.endswith('?') else '')) }}
{% endmacro %}


{% macro seg_did_you_mean(word, candidates) %}
  {#- "; did you mean 'x'?" for the candidate closest to `word` (at most a quarter of its letters, or one,
      edited), else ''. -#}
  {%- set best = {'name': none, 'distance': [1, (word | length) // 4] | max + 1} -%}
  {%- for candidate in candidates -%}
    {%- set distance = customer_segmentation.seg_edit_distance(word | lower, candidate | lower) | int -%}
    {%- if distance < best.distance -%}
      {%- do best.update({'name': candidate, 'distance': distance}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return("; did you mean '" ~ best.name ~ "'?" if best.name is not none else '') }}
{% endmacro %}


{% macro seg_edit_distance(a, b) %}
  {#- Levenshtein distance between two words. -#}
  {%- set row = range(b | length + 1) | list -%}
  {%- for i in range(1, a | length + 1) -%}
    {%- set current = [i] -%}
    {%- for j in range(1, b | length + 1) -%}
      {%- do current.append([row[j] + 1, current[j - 1] + 1, row[j - 1] + (0 if a[i - 1] == b[j - 1] else 1)] | min) -%}
    {%- endfor -%}
    {%- do row.clear() -%}
    {%- do row.extend(current) -%}
  {%- endfor -%}
  {{ return(row[-1]) }}
{% endmacro %}


{% macro seg_source_relation(spec) %}
  {#- The case's `source` setting as a relation: a model name, {ref: name} or {source: name, table: name}. -#}
  {%- set source_setting = spec.source -%}
  {%- if source_setting is string -%}
    {{ return(ref(source_setting)) }}
  {%- elif 'ref' in source_setting -%}
    {{ return(ref(source_setting.ref)) }}
  {%- endif -%}
  {{ return(source(source_setting.source, source_setting.table)) }}
{% endmacro %}


{% macro seg_features_table(case_name) %}
  {#- The table holding the case's feature rows: its own features_model, or the package's int_segment_features.
      Without the database name, so a view reading it (int_segment_fit_inputs) works in a copied file. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set table = ref(spec.features_model) if spec.features_model else ref('int_segment_features') -%}
  {{ return(table.include(database=false)) }}
{% endmacro %}


{% macro seg_features_relation(case_name) %}
  {#- The case's feature rows: its features_model, or its rows of int_segment_features (a subquery). -#}
  {%- set table = customer_segmentation.seg_features_table(case_name) -%}
  {%- if customer_segmentation.seg_spec(case_name).features_model -%}
    {{ return(table) }}
  {%- endif -%}
  {{ return("(select * from " ~ table ~ " where case_name = '" ~ case_name ~ "')") }}
{% endmacro %}


{% macro seg_input_relation(case_name) %}
  {#- What the case's input customers are counted from: its source when set, else its features model. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {{ return(customer_segmentation.seg_source_relation(spec) if spec.source else ref(spec.features_model)) }}
{% endmacro %}


{% macro seg_engine_specs() %}
  {#- The resolved settings of every case this run builds (JSON), for the fit's Python model. -#}
  {%- set specs = {} -%}
  {%- for case_name in customer_segmentation.seg_selected_cases() if not customer_segmentation.seg_spec_problems(case_name) -%}
    {%- do specs.update({case_name: customer_segmentation.seg_resolve(case_name)}) -%}
  {%- endfor -%}
  {{ return(tojson(specs)) }}
{% endmacro %}


{% macro seg_case_selected(case_name) %}
  {#- True when this run builds the case: for `config(enabled=...)` of a case's own models, so a run
      that leaves the case out never needs its data. Works while parsing. -#}
  {{ return(case_name in customer_segmentation.seg_selected_cases()) }}
{% endmacro %}


{% macro seg_features_model_selected(features_model) %}
  {#- True when some case of this run takes its features from `features_model`: for
      `config(enabled=...)` of a feature model, and of the staging it reads, shared by several cases. -#}
  {%- set cases = customer_segmentation.seg_configured_cases() -%}
  {%- for case_name in customer_segmentation.seg_selected_cases() if (cases.get(case_name) or {}).get('features_model') == features_model -%}
    {{ return(true) }}
  {%- endfor -%}
  {{ return(false) }}
{% endmacro %}
