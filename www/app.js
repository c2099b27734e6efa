// cohortcalc page: a file is read in the browser, its columns are matched to roles (step 2), and it is
// analysed in a Web Worker by the WebAssembly core (step 3). Nothing is uploaded; every text that comes
// from a file or from the core goes into the page through textContent, never as HTML.

const $ = (id) => document.getElementById(id);

// The worker is started first of all: its module and the WebAssembly load, and the demo is analysed there,
// while this page builds itself (see `startWorker`) — unless the page carries the demo's results made at
// build time: then it is started once they are painted, so that compiling the WebAssembly does not hold
// up the first paint (on a machine of two cores it did, by a few hundredths of a second; see `openDemo`).
let bootWorker = document.getElementById('demo-prerendered')?.textContent
  ? null
  : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

// ================================================================ languages

const STRINGS = {
  en: {
    title: 'cohortcalc — cohort statistics in your browser',
    skip: 'Skip to results',
    purpose:
      'Stratified statistics for a clinical cohort from a chart-review spreadsheet: paired before/after outcomes, yes/no proportions and events over follow-up.',
    language: 'Language',
    privacy: 'Runs entirely in your browser — no upload.',
    step_file: 'Your file',
    drop_here: 'Drop a spreadsheet here (CSV, Excel or OpenDocument), or choose one.',
    choose_file: 'Choose a file…',
    drop_hint:
      'One row per patient, one column per variable. Columns are matched to roles from their headers; you can change every choice in step 2.',
    load_demo: 'Load demo',
    download_demo: 'Download demo CSV',
    demo_note:
      'The demo is a synthetic cohort of 134 patients that reproduces the published figures of a basivertebral nerve ablation study.',
    progress_label: 'Share of the file read',
    cancel: 'Cancel',
    step_mapping: 'Columns and roles',
    mapping_hide: 'Hide',
    mapping_show: 'Show',
    detected_title: 'What was detected',
    sheet: 'Sheet',
    encoding: 'Text encoding',
    enc_auto: 'Automatic ({name})',
    enc_auto_plain: 'Automatic',
    load_mapping: 'Load mapping JSON…',
    save_mapping: 'Save mapping JSON',
    reguess: 'Guess again from the headers',
    step_results: 'Results',
    export_csv: 'Tables as CSV',
    export_xlsx: 'Tables as Excel',
    export_json: 'Report as JSON',
    print: 'Print or save as PDF',
    fact_file: 'File',
    fact_read: 'Rows read',
    fact_included: 'Included',
    fact_excluded: 'Excluded',
    fact_mapping: 'Mapping',
    toc_label: 'Contents of the results',
    flow_heading: 'Patients and rows',
    tables_heading: 'Tables',
    charts_heading: 'Figures',
    methods_heading: 'Statistical methods',
    results_text_heading: 'Results in words',
    copy_methods: 'Copy text',
    footer_rounding:
      'Numbers are rounded half away from zero. Strata from DEXA T-scores follow the WHO categories: Normal T ≥ −1.0, Osteopenia −2.5 < T < −1.0, Osteoporosis T ≤ −2.5.',

    demo_label: 'demo.csv (demo cohort)',
    loading: 'Loading the calculator…',
    ready: 'Ready. Drop a file, or load the demo.',
    inspecting: 'Reading the columns of “{name}”…',
    analysing: 'Analysing “{name}”…',
    analysing_pct: 'Analysing “{name}”… {pct}% read',
    computing: 'Analysing “{name}”… file read; computing the statistics',
    shown: 'Showing “{name}”: {included} of {read} rows analysed in {ms} ms.',
    shown_untimed: 'Showing “{name}”: {included} of {read} rows analysed.',
    shown_announce: 'Results ready for “{name}”: {included} of {read} rows analysed.',
    failed: '“{name}” could not be analysed; the reason is shown beside the drop zone.',
    failed_mapping: '“{name}” could not be analysed; the reason is shown in step 2.',
    not_shown: 'The results of “{name}” could not be shown.',
    not_analysed: '“{name}” was not analysed.',
    cancelled: 'Analysis cancelled.',
    cancelled_stale: 'Analysis cancelled; the results below are from before your last change.',
    need_outcome: 'Choose at least one outcome in step 2 for “{name}”: a before/after pair, a yes/no column or an event.',
    dropped_many: '{n} files were dropped; only “{name}” is analysed.',
    mapping_loaded_status: 'The mapping “{name}” is used from now on.',

    err_title: 'This file could not be analysed',
    err_title_show: 'The results could not be shown',
    err_title_mapping: 'This mapping could not be used',
    err_title_load: 'The calculator could not be loaded',
    err_title_outcome: 'No outcome chosen',
    err_core_lead: 'The calculator said, in Chinese: ',
    err_hint_mapping: 'Choose the right columns in step 2 below; the file is analysed again at each change.',
    err_hint_mapping_here: 'Choose the right columns below; the file is analysed again at each change.',
    err_too_big: '“{name}” is {mb} MB; files up to {max} MB can be analysed here.',
    err_not_json: '“{name}” is not a mapping JSON file: {msg}',
    err_not_mapping: '“{name}” does not look like a cohortcalc mapping (an object with keys such as "paired" or "strata").',
    err_internal: 'The calculator hit an internal error on this file. Please report it; the page has been reset.',
    err_worker: 'The calculator could not be started in this browser.',
    werr_unreadable: 'The file could not be read (was it moved or changed?); choose it again.',
    werr_no_file: 'The file is no longer loaded; choose it again.',
    werr_stopped: 'The calculator stopped after an internal error; reload the page.',
    err_gone: 'These results are from an earlier file, which is no longer loaded; choose it again to redraw or export them.',
    err_no_report: 'The calculator returned no report.',
    err_unknown: 'Something went wrong.',

    ms_guessed: 'Guessed from the column headers — please check each choice.',
    ms_demo: 'The demo’s mapping. Change any choice to see the numbers change.',
    ms_loaded: 'From “{name}”.',
    ms_edited: 'As chosen below.',
    ms_none: 'Nothing was recognised; choose the columns below.',
    ms_summary_paired: '{n} paired outcomes',
    ms_summary_paired_1: '1 paired outcome',
    ms_summary_binary: '{n} yes/no outcomes',
    ms_summary_binary_1: '1 yes/no outcome',
    ms_summary_events: '{n} events',
    ms_summary_events_1: '1 event',
    ms_summary_strata: 'Strata: “{col}”',
    g_patients: 'Patients and strata',
    f_id: 'Patient ID column',
    f_strata: 'Strata column',
    f_strata_kind: 'The strata column holds',
    k_tscore: 'T-scores (WHO categories)',
    k_column: 'categories, as written',
    opt_none: '— none —',
    opt_choose: '— choose —',
    opt_missing: '“{name}” (not in this file)',
    groups_note: 'Combined strata: {groups}. Edit in the mapping JSON.',
    g_compare: 'Strata compared',
    f_compare_a: 'Stratum',
    f_compare_b: 'compared with',
    add_compare: 'Add a comparison',
    opt_choose_stratum: '— choose a stratum —',
    incomplete_compare: 'Choose two strata to compare.',
    same_compare: 'Choose two different strata.',
    g_paired: 'Paired outcomes (before → after)',
    f_name: 'Name',
    f_before: 'Before',
    f_after: 'After',
    f_better: 'Improvement is',
    better_lower: 'a lower value (pain)',
    better_higher: 'a higher value (function)',
    f_threshold: 'Responder cut-off',
    add_paired: 'Add a paired outcome',
    threshold_ph: 'automatic',
    threshold_title:
      'A patient responds when the score improves by at least this many points. Left empty: the minimal clinically important difference of a scale known by its name, else 10% of the range of its values (the methods say which).',
    remove: 'Remove',
    remove_named: 'Remove “{name}”',
    g_binary: 'Yes/no outcomes',
    f_column: 'Column',
    add_binary: 'Add a yes/no outcome',
    g_followup: 'Follow-up',
    f_followup_kind: 'Follow-up length from',
    fu_none: 'not recorded',
    fu_months: 'a column of months',
    fu_days: 'a column of days',
    fu_weeks: 'a column of weeks',
    fu_years: 'a column of years',
    fu_dates: 'start and end dates',
    f_months: 'Months column',
    f_days: 'Days column',
    f_weeks: 'Weeks column',
    f_years: 'Years column',
    f_start: 'Start date (procedure)',
    f_end: 'End date (last visit)',
    g_events: 'Events over follow-up',
    f_event_value: 'Event when the value is',
    event_value_ph: 'Yes, Y, 1, TRUE…',
    f_timing: 'Time to event from',
    tm_followup: 'the follow-up length',
    tm_time: 'a column of months',
    tm_date: 'an event date column',
    f_time_col: 'Months to event',
    f_date_col: 'Event date',
    add_event: 'Add an event',
    g_covariates: 'Table 1: describe these columns by stratum',
    incomplete_pair: 'Incomplete: choose both columns. Left out of the analysis until then.',
    incomplete_one: 'Incomplete: choose a column. Left out of the analysis until then.',
    incomplete_fu: 'Incomplete: choose the columns. Follow-up is left out until then.',
    need_start: 'An event date needs a start date under Follow-up.',
    unnamed: 'outcome {n}',
    f_yes_rule: 'Counted as yes when',
    yes_codes: 'written as yes/no (Yes, 1, TRUE…)',
    yes_value: 'the value is…',
    yes_above: 'the number is above…',
    yes_at_least: 'the number is at least…',
    yes_below: 'the number is below…',
    yes_at_most: 'the number is at most…',
    f_yes_value: 'Yes is the value',
    f_cut_off: 'Cut-off',
    cut_off_ph: 'e.g. 0',
    yes_value_ph: 'e.g. 2',
    yes_incomplete: 'Incomplete: give the value that means yes; any other value counts as no.',
    cut_off_incomplete: 'Incomplete: give the cut-off number.',
    yes_needed: 'This column is not written as yes/no: choose which value means yes, or a cut-off.',
    g_categories: 'Categories and the names of their values',
    categories_intro:
      'Tick a column whose numbers are codes for categories (such as 1 = Standard, 2 = Test): it is then counted as n (%) in Table 1, not averaged. Names given to values are shown instead of the codes in every table and figure.',
    categories_none: 'Choose a strata column (categories) or Table 1 columns above to name their values here.',
    cat_role_strata: 'strata',
    cat_role_covariate: 'Table 1',
    cat_codes: 'its numbers are category codes',
    cat_names: 'Names for its values',
    cat_names_count: 'Names for its values ({k} of {n} named)',
    cat_many: 'This column has too many different values to name them here.',
    cat_value: 'Name shown for the value {value} of “{col}”',
    cat_label_ph: 'name shown',
    err_hint_yes: 'In step 2 below, under “Yes/no outcomes”, choose which value of “{col}” means yes, or a cut-off; the file is analysed again at each change.',
    err_hint_yes_here: 'Below, under “Yes/no outcomes”, choose which value of “{col}” means yes, or a cut-off; the file is analysed again at each change.',
    err_hint_event: 'In step 2 below, under “Events over follow-up”, write which value of “{col}” means the event happened; the file is analysed again at each change.',
    err_hint_event_here: 'Below, under “Events over follow-up”, write which value of “{col}” means the event happened; the file is analysed again at each change.',

    role_id: 'Patient ID',
    role_strata: 'Strata',
    role_tscore: 'T-score',
    role_before: 'Before',
    role_after: 'After',
    role_binary: 'Yes/no outcome',
    role_followup: 'Follow-up',
    role_months: 'Follow-up months',
    role_start: 'Start date',
    role_end: 'End date',
    role_event: 'Event',
    role_date: 'Event date',
    role_time: 'Months to event',
    role_covariate: 'Covariate',
    det_conf: 'confidence {pct}',
    det_alternatives: 'other candidates: {list}',
    det_check: 'please check',
    det_none: 'not found',

    mf_guessed: 'guessed from the headers — please check',
    mf_demo: 'the demo’s mapping',
    mf_loaded: 'from “{name}”',
    mf_edited: 'as chosen in step 2',

    flow_read: 'Rows read',
    flow_excluded: 'Excluded',
    flow_included: 'Included',
    flow_strata: 'By stratum',
    flow_none_excluded: 'No row was excluded.',
    flow_rows: 'rows {list}',
    flow_more: '… and {n} more',
    flow_outcomes: 'Usable data among the included patients',
    flow_pairs: '{name}: {n} complete pairs, {missing} missing',
    flow_binary: '{name}: {n} with a value, {missing} missing',
    flow_event: '{name}: {n} with a value, {missing} missing',
    flow_followup: 'Follow-up: known for {n}',

    diag_summary: 'Notes and warnings ({parts})',
    diag_warnings: '{n} warnings',
    diag_warning: '1 warning',
    diag_notes: '{n} notes',
    diag_note: '1 note',
    diag_warning_label: 'warning:',
    diag_note_label: 'note:',
    diag_excluded_label: 'excluded:',
    diag_more: '… and {n} more; the JSON report lists all of them.',
    row_col: 'row {row}, column “{col}”: ',
    row_only: 'row {row}: ',
    col_only: 'column “{col}”: ',

    copy_table: 'Copy',
    rows_shown: 'The first {k} of {n} rows are shown (Copy and the exports have them all).',
    rows_shown_each: 'The first rows of each stratum are shown, {k} of {n} rows (Copy and the exports have them all).',
    show_all_rows: 'Show all {n} rows',
    copy_table_aria: 'Copy the table “{title}” (pastes into Word and Excel)',
    copied: 'Copied',
    copy_failed: 'Copying is not allowed here; select the table and press Ctrl+C.',
    copied_announce: '“{title}” copied; paste it into Word or Excel.',
    methods_copied: 'The methods text was copied.',
    results_text_copied: 'The results text was copied.',
    na: 'not available',
    table_fallback: 'Table',
    toc_figures: 'Figures',
    toc_methods: 'Methods',
    toc_results_text: 'Results in words',
    toc_flow: 'Patients and rows',

    chart_png: 'PNG',
    chart_svg: 'SVG',
    chart_download: 'Download “{title}” as {fmt}',
    chart_failed: 'This figure could not be drawn: {msg}',
    chart_alt: '{title}. The same figures are in the tables above.',
    kind_flow_diagram: 'Flow of patients',
    kind_paired_means: 'Mean before and after, with 95% CI',
    kind_paired_lines: 'Each patient before and after',
    kind_change_distribution: 'Distribution of the change',
    kind_responders: 'Responders, with 95% CI',
    kind_kaplan_meier: 'Event-free survival (Kaplan–Meier)',
    kind_tscore_histogram: 'T-scores and the WHO cut-offs',
    cap_flow_diagram: 'Rows read, rows excluded with their reasons, and patients included in each stratum (STROBE style).',
    cap_paired_means: '{name} by stratum: dots are the means before and after, bars their 95% confidence intervals.',
    cap_paired_lines: '{name}: one line per patient from before to after, by stratum.',
    cap_change_distribution: '{name}: change (after − before) per patient, by stratum.',
    cap_responders: '{name}: share of patients who improved, by definition and stratum, with 95% confidence intervals.',
    cap_responders_binary: '{name}: share of patients with “yes”, by stratum, with 95% confidence intervals.',
    cap_kaplan_meier: '{name}: share of patients free of the event over follow-up, by stratum, with the numbers at risk.',
    cap_tscore_histogram: 'DEXA T-scores of the patients, with the WHO cut-offs at −1.0 and −2.5.',
    print_title: 'cohortcalc report — {name} — {date}',
    same_name_paired: 'before/after',
    same_name_binary: 'yes/no',
    same_name_event: 'event',
  },
  zh: {
    title: 'cohortcalc —— 在浏览器中完成队列统计',
    skip: '跳到结果',
    purpose: '根据病历回顾表格计算临床队列的分层统计：治疗前后配对结局、是/否比例以及随访期间的事件。',
    language: '语言',
    privacy: '完全在浏览器中运行——不上传任何数据。',
    step_file: '您的文件',
    drop_here: '将表格文件（CSV、Excel 或 OpenDocument）拖放到此处，或点击选择。',
    choose_file: '选择文件…',
    drop_hint: '每位患者一行，每个变量一列。系统根据列标题为各列指定角色；第 2 步中的每项选择都可以修改。',
    load_demo: '载入示例',
    download_demo: '下载示例 CSV',
    demo_note: '示例为 134 名患者的合成队列，可重现一项椎体基底神经消融研究已发表的全部主要数据。',
    progress_label: '文件读取进度',
    cancel: '取消',
    step_mapping: '列与角色',
    mapping_hide: '收起',
    mapping_show: '展开',
    detected_title: '自动识别结果',
    sheet: '工作表',
    encoding: '文本编码',
    enc_auto: '自动（{name}）',
    enc_auto_plain: '自动',
    load_mapping: '载入映射 JSON…',
    save_mapping: '保存映射 JSON',
    reguess: '根据列标题重新识别',
    step_results: '结果',
    export_csv: '表格导出为 CSV',
    export_xlsx: '表格导出为 Excel',
    export_json: '报告导出为 JSON',
    print: '打印或存为 PDF',
    fact_file: '文件',
    fact_read: '读取行数',
    fact_included: '纳入',
    fact_excluded: '排除',
    fact_mapping: '映射',
    toc_label: '结果目录',
    flow_heading: '患者与数据行',
    tables_heading: '表格',
    charts_heading: '图',
    methods_heading: '统计方法',
    results_text_heading: '结果（文字）',
    copy_methods: '复制文字',
    footer_rounding:
      '数值按“远离零的四舍五入”取舍。按 DEXA T 值分层采用 WHO 标准：正常 T ≥ −1.0，骨量减少 −2.5 < T < −1.0，骨质疏松 T ≤ −2.5。',

    demo_label: 'demo.csv（示例队列）',
    loading: '正在载入计算器…',
    ready: '已就绪。请拖放文件或载入示例。',
    inspecting: '正在读取“{name}”的列…',
    analysing: '正在分析“{name}”…',
    analysing_pct: '正在分析“{name}”…已读取 {pct}%',
    computing: '正在分析“{name}”…文件已读取，正在计算统计量',
    shown: '正在显示“{name}”：已分析 {read} 行中的 {included} 行，用时 {ms} 毫秒。',
    shown_untimed: '正在显示“{name}”：已分析 {read} 行中的 {included} 行。',
    shown_announce: '“{name}”的结果已生成：已分析 {read} 行中的 {included} 行。',
    failed: '无法分析“{name}”，原因见拖放区旁的提示。',
    failed_mapping: '无法分析“{name}”，原因见第 2 步中的提示。',
    not_shown: '无法显示“{name}”的结果。',
    not_analysed: '未分析“{name}”。',
    cancelled: '分析已取消。',
    cancelled_stale: '分析已取消；下方显示的是上次更改之前的结果。',
    need_outcome: '请在第 2 步中为“{name}”至少选择一个结局：一对治疗前/后列、一个是/否列或一个事件。',
    dropped_many: '拖入了 {n} 个文件；只分析“{name}”。',
    mapping_loaded_status: '此后使用映射“{name}”。',

    err_title: '无法分析此文件',
    err_title_show: '无法显示结果',
    err_title_mapping: '无法使用此映射',
    err_title_load: '无法载入计算器',
    err_title_outcome: '尚未选择结局',
    err_core_lead: '计算器的说明（英文原文）：',
    err_hint_mapping: '请在下方第 2 步中选择正确的列；每次更改后都会重新分析文件。',
    err_hint_mapping_here: '请在下方选择正确的列；每次更改后都会重新分析文件。',
    err_too_big: '“{name}”大小为 {mb} MB；此处最多可分析 {max} MB 的文件。',
    err_not_json: '“{name}”不是映射 JSON 文件：{msg}',
    err_not_mapping: '“{name}”看起来不是 cohortcalc 映射（应为含有 "paired" 或 "strata" 等键的对象）。',
    err_internal: '计算器处理此文件时发生内部错误，页面已重置。请报告此问题。',
    err_worker: '无法在此浏览器中启动计算器。',
    werr_unreadable: '无法读取该文件（是否已被移动或修改？），请重新选择。',
    werr_no_file: '该文件已不在内存中，请重新选择。',
    werr_stopped: '计算器在内部错误后已停止，请重新加载页面。',
    err_gone: '这些结果来自先前的文件，该文件已不在内存中；如需重绘或导出，请重新选择该文件。',
    err_no_report: '计算器没有返回报告。',
    err_unknown: '出现了问题。',

    ms_guessed: '根据列标题自动识别——请逐项核对。',
    ms_demo: '示例数据的映射。修改任一选择即可看到数值变化。',
    ms_loaded: '来自“{name}”。',
    ms_edited: '按下方的选择。',
    ms_none: '未能识别任何列，请在下方选择。',
    ms_summary_paired: '{n} 个配对结局',
    ms_summary_binary: '{n} 个是/否结局',
    ms_summary_events: '{n} 个事件',
    ms_summary_paired_1: '1 个配对结局',
    ms_summary_binary_1: '1 个是/否结局',
    ms_summary_events_1: '1 个事件',
    ms_summary_strata: '分层：“{col}”',
    g_patients: '患者与分层',
    f_id: '患者编号列',
    f_strata: '分层列',
    f_strata_kind: '分层列的内容',
    k_tscore: 'T 值（按 WHO 分类）',
    k_column: '类别（按原文）',
    opt_none: '—— 无 ——',
    opt_choose: '—— 请选择 ——',
    opt_missing: '“{name}”（文件中没有此列）',
    groups_note: '合并分层：{groups}。如需修改，请编辑映射 JSON。',
    g_compare: '分层间比较',
    f_compare_a: '分层',
    f_compare_b: '对比',
    add_compare: '添加比较',
    opt_choose_stratum: '—— 选择分层 ——',
    incomplete_compare: '请选择两个要比较的分层。',
    same_compare: '请选择两个不同的分层。',
    g_paired: '配对结局（治疗前 → 治疗后）',
    f_name: '名称',
    f_before: '治疗前',
    f_after: '治疗后',
    f_better: '改善方向',
    better_lower: '数值降低（如疼痛）',
    better_higher: '数值升高（如功能）',
    f_threshold: '应答阈值',
    add_paired: '添加配对结局',
    threshold_ph: '自动',
    threshold_title: '评分改善至少达到此分值即视为应答。留空时：按名称识别的量表取其最小临床重要差异（MCID），否则取数值范围的 10%（统计方法中注明采用哪一种）。',
    remove: '删除',
    remove_named: '删除“{name}”',
    g_binary: '是/否结局',
    f_column: '列',
    add_binary: '添加是/否结局',
    g_followup: '随访',
    f_followup_kind: '随访时长来自',
    fu_none: '未记录',
    fu_months: '月数列',
    fu_days: '天数列',
    fu_weeks: '周数列',
    fu_years: '年数列',
    fu_dates: '起止日期',
    f_months: '月数列',
    f_days: '天数列',
    f_weeks: '周数列',
    f_years: '年数列',
    f_start: '开始日期（手术）',
    f_end: '结束日期（末次随访）',
    g_events: '随访期间的事件',
    f_event_value: '以下取值视为发生事件',
    event_value_ph: '是、Yes、1、TRUE…',
    f_timing: '至事件时间来自',
    tm_followup: '随访时长',
    tm_time: '月数列',
    tm_date: '事件日期列',
    f_time_col: '至事件月数',
    f_date_col: '事件日期',
    add_event: '添加事件',
    g_covariates: '表 1：按分层描述以下各列',
    incomplete_pair: '未完成：请选择两列。在此之前该结局不参与分析。',
    incomplete_one: '未完成：请选择一列。在此之前该结局不参与分析。',
    incomplete_fu: '未完成：请选择各列。在此之前不使用随访。',
    need_start: '使用事件日期时，需要在“随访”中选择开始日期。',
    unnamed: '结局 {n}',
    f_yes_rule: '判为“是”的条件',
    yes_codes: '以是/否记录（是、Yes、1、TRUE…）',
    yes_value: '取值等于…',
    yes_above: '数值大于…',
    yes_at_least: '数值大于或等于…',
    yes_below: '数值小于…',
    yes_at_most: '数值小于或等于…',
    f_yes_value: '表示“是”的取值',
    f_cut_off: '界值',
    cut_off_ph: '如 0',
    yes_value_ph: '如 2',
    yes_incomplete: '未完成：请给出表示“是”的取值；其他取值均计为“否”。',
    cut_off_incomplete: '未完成：请给出界值。',
    yes_needed: '此列不是以是/否记录的：请选择哪个取值表示“是”，或给出界值。',
    g_categories: '分类变量及其取值名称',
    categories_intro:
      '如某列的数字是分类编码（例如 1 = 标准治疗，2 = 试验治疗），请勾选：表 1 将按 n (%) 计数，而不是计算均值。为取值填写的名称将代替编码显示在所有表格和图中。',
    categories_none: '请先在上方选择分层列（按原值分类）或表 1 的列，再在此为其取值命名。',
    cat_role_strata: '分层',
    cat_role_covariate: '表 1',
    cat_codes: '其数字为分类编码',
    cat_names: '取值名称',
    cat_names_count: '取值名称（已命名 {k}/{n}）',
    cat_many: '此列的不同取值太多，无法在此逐一命名。',
    cat_value: '“{col}”取值 {value} 的显示名称',
    cat_label_ph: '显示的名称',
    err_hint_yes: '请在下方第 2 步的“是/否结局”中，选择“{col}”的哪个取值表示“是”，或给出界值；每次更改后都会重新分析文件。',
    err_hint_yes_here: '请在下方“是/否结局”中，选择“{col}”的哪个取值表示“是”，或给出界值；每次更改后都会重新分析文件。',
    err_hint_event: '请在下方第 2 步的“随访期间的事件”中，填写“{col}”的哪个取值表示发生事件；每次更改后都会重新分析文件。',
    err_hint_event_here: '请在下方“随访期间的事件”中，填写“{col}”的哪个取值表示发生事件；每次更改后都会重新分析文件。',

    role_id: '患者编号',
    role_strata: '分层',
    role_tscore: 'T 值',
    role_before: '治疗前',
    role_after: '治疗后',
    role_binary: '是/否结局',
    role_followup: '随访',
    role_months: '随访月数',
    role_start: '开始日期',
    role_end: '结束日期',
    role_event: '事件',
    role_date: '事件日期',
    role_time: '至事件月数',
    role_covariate: '协变量',
    det_conf: '置信度 {pct}',
    det_alternatives: '其他候选：{list}',
    det_check: '请核对',
    det_none: '未找到',

    mf_guessed: '根据列标题自动识别——请核对',
    mf_demo: '示例映射',
    mf_loaded: '来自“{name}”',
    mf_edited: '按第 2 步的选择',

    flow_read: '读取行数',
    flow_excluded: '排除',
    flow_included: '纳入分析',
    flow_strata: '各分层',
    flow_none_excluded: '没有排除任何行。',
    flow_rows: '第 {list} 行',
    flow_more: '……另有 {n} 行',
    flow_outcomes: '纳入患者中可用的数据',
    flow_pairs: '{name}：{n} 对完整，{missing} 例缺失',
    flow_binary: '{name}：{n} 例有值，{missing} 例缺失',
    flow_event: '{name}：{n} 例有值，{missing} 例缺失',
    flow_followup: '随访：{n} 例已知',

    diag_summary: '说明与警告（{parts}）',
    diag_warnings: '{n} 条警告',
    diag_warning: '1 条警告',
    diag_notes: '{n} 条说明',
    diag_note: '1 条说明',
    diag_warning_label: '警告：',
    diag_note_label: '说明：',
    diag_excluded_label: '排除：',
    diag_more: '……另有 {n} 条；JSON 报告中列出全部内容。',
    row_col: '第 {row} 行，列“{col}”：',
    row_only: '第 {row} 行：',
    col_only: '列“{col}”：',

    copy_table: '复制',
    rows_shown: '仅显示前 {k} 行，共 {n} 行（复制和导出包含全部行）。',
    rows_shown_each: '每个分层仅显示前几行，共 {n} 行中显示 {k} 行（复制和导出包含全部行）。',
    show_all_rows: '显示全部 {n} 行',
    copy_table_aria: '复制表格“{title}”（可粘贴到 Word 和 Excel）',
    copied: '已复制',
    copy_failed: '此处不允许复制；请选中表格后按 Ctrl+C。',
    copied_announce: '已复制“{title}”，可粘贴到 Word 或 Excel。',
    methods_copied: '已复制统计方法文字。',
    results_text_copied: '已复制结果文字。',
    na: '不可用',
    table_fallback: '表',
    toc_figures: '图',
    toc_methods: '统计方法',
    toc_results_text: '结果（文字）',
    toc_flow: '患者与数据行',

    chart_png: 'PNG',
    chart_svg: 'SVG',
    chart_download: '将“{title}”下载为 {fmt}',
    chart_failed: '无法绘制此图：{msg}',
    chart_alt: '{title}。相同的数值见上方表格。',
    kind_flow_diagram: '患者流程图',
    kind_paired_means: '治疗前后均值及 95% CI',
    kind_paired_lines: '每位患者的治疗前后',
    kind_change_distribution: '变化值的分布',
    kind_responders: '应答者比例及 95% CI',
    kind_kaplan_meier: '无事件生存（Kaplan–Meier）',
    kind_tscore_histogram: 'T 值分布与 WHO 切点',
    cap_flow_diagram: '读取的行数、被排除的行及原因，以及各分层纳入的患者数（STROBE 格式）。',
    cap_paired_means: '{name}（按分层）：圆点为治疗前后均值，误差线为 95% 置信区间。',
    cap_paired_lines: '{name}：每位患者一条线，从治疗前到治疗后，按分层。',
    cap_change_distribution: '{name}：每位患者的变化值（治疗后 − 治疗前），按分层。',
    cap_responders: '{name}：按定义和分层的改善患者比例及 95% 置信区间。',
    cap_responders_binary: '{name}：各分层回答“是”的患者比例及 95% 置信区间。',
    cap_kaplan_meier: '{name}：随访期间未发生事件的患者比例，按分层，并附风险人数。',
    cap_tscore_histogram: '患者的 DEXA T 值分布，标出 WHO 切点 −1.0 和 −2.5。',
    print_title: 'cohortcalc 报告 —— {name} —— {date}',
    same_name_paired: '治疗前后',
    same_name_binary: '是/否',
    same_name_event: '事件',
  },
};

const LANG_KEY = 'cohortcalc.lang';
let lang = initialLang();

function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage may be off (private mode, some file:// setups): fall back to the browser's language.
  }
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  return /^zh\b/i.test(String(prefs[0] || '')) ? 'zh' : 'en';
}

/** The text of `key` in the current language with `{name}` placeholders filled; never "undefined". */
function t(key, vars = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => {
    // A function is asked at the time of writing, so that a text re-read in another language is right.
    const v = typeof vars[k] === 'function' ? vars[k]() : vars[k];
    if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return '—';
    return String(v);
  });
}

// ================================================================ small helpers

const els = {
  dropzone: $('dropzone'),
  file: $('file'),
  choose: $('choose'),
  loadDemo: $('load-demo'),
  downloadDemo: $('download-demo'),
  error: $('error'),
  errorTitle: $('error-title'),
  errorMessage: $('error-message'),
  errorHint: $('error-hint'),
  status: $('status'),
  statusSlot: $('status-slot'),
  statusRow: $('status-row'),
  statusText: $('status-text'),
  progress: $('progress'),
  cancel: $('cancel'),
  announce: $('announce'),
  mapping: $('mapping'),
  mappingState: $('mapping-state'),
  mappingToggle: $('mapping-toggle'),
  mappingBody: $('mapping-body'),
  detected: $('detected'),
  detectedList: $('detected-list'),
  sheetField: $('sheet-field'),
  sheet: $('sheet'),
  encodingField: $('encoding-field'),
  encoding: $('encoding'),
  mappingFile: $('mapping-file'),
  loadMapping: $('load-mapping'),
  saveMapping: $('save-mapping'),
  reguess: $('reguess'),
  form: $('mapping-form'),
  results: $('results'),
  printTitle: $('print-title'),
  factFile: $('fact-file'),
  factRead: $('fact-read'),
  factIncluded: $('fact-included'),
  factExcluded: $('fact-excluded'),
  factMapping: $('fact-mapping'),
  toc: $('toc'),
  flowBody: $('flow-body'),
  diagnostics: $('diagnostics'),
  diagnosticsSummary: $('diagnostics-summary'),
  diagnosticsList: $('diagnostics-list'),
  tables: $('tables'),
  chartsBlock: $('charts-block'),
  charts: $('charts'),
  methodsText: $('methods-text'),
  copyMethods: $('copy-methods'),
  resultsText: $('results-text'),
  copyResultsText: $('copy-results-text'),
  exportCsv: $('export-csv'),
  exportXlsx: $('export-xlsx'),
  exportJson: $('export-json'),
  print: $('print'),
  version: $('version'),
};

const MAX_BYTES = 200 * 1024 * 1024;
/** Files larger than this get a progress bar. */
const PROGRESS_BYTES = 1024 * 1024;
/** Diagnostics lists longer than this start collapsed; longer than DIAGNOSTICS_SHOWN are cut. */
const DIAGNOSTICS_OPEN_MAX = 6;
const DIAGNOSTICS_SHOWN = 200;
/** Rows of one table put into the page before the browser gets a turn. */
const ROWS_PER_SLICE = 250;
/** Tables longer than this show their first `LONG_TABLE_FIRST` rows until asked for the rest. */
const LONG_TABLE_ROWS = 100;
const LONG_TABLE_FIRST = 50;

/**
 * The rows a table shows before it is asked for all, as [from, to) ranges: every row of a short table; of a
 * long one whose first column runs through strata (the Kaplan–Meier table: each stratum's event times), the
 * first rows of each stratum, `LONG_TABLE_FIRST` in all, so that every stratum is seen; else its first rows.
 */
function previewRanges(rows) {
  if (rows.length <= LONG_TABLE_ROWS) return [[0, rows.length]];
  const runs = [];
  let last;
  rows.forEach((row, i) => {
    const key = cellText(arr(row)[0]);
    if (i === 0 || key !== last) runs.push([i, i + 1]);
    else runs[runs.length - 1][1] = i + 1;
    last = key;
  });
  // At least five rows of each stratum; a first column of many runs is no list of strata.
  if (runs.length < 2 || runs.length * 5 > LONG_TABLE_FIRST) return [[0, LONG_TABLE_FIRST]];
  const each = Math.floor(LONG_TABLE_FIRST / runs.length);
  return runs.map(([from, to]) => [from, Math.min(to, from + each)]);
}
/** How long after the demo is shown the worker is asked to warm up. */
const WARM_UP_AFTER_MS = 500;

/** A plain sentence from anything thrown: never a stack, never "undefined". */
function plainMessage(e, fallback = t('err_unknown')) {
  let msg = '';
  if (e && typeof e.message === 'string') msg = e.message;
  else if (typeof e === 'string') msg = e;
  msg = msg
    .split('\n')
    .filter((line) => !/^\s*at\s/.test(line))
    .join(' ')
    .trim();
  if (!msg || /^(undefined|null|nan|\[object \w+\])$/i.test(msg)) return fallback;
  return msg;
}

/** Cell text for display; missing or non-finite values become null (shown as a dash). */
function cellText(v) {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (/^\s*$/.test(s) || /^(undefined|null|nan|[+-]?inf(inity)?|\[object \w+\])$/i.test(s.trim())) return null;
  return s;
}

function count(n) {
  return Number.isFinite(n) ? String(n) : '—';
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** Lets the browser paint and handle input before more work is done. */
function nextTurn() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves after the next frame has been painted. */
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Entries of an object (a map in the report's JSON). */
function entriesOf(x) {
  if (!x) return [];
  return Object.entries(x);
}

function arr(x) {
  return Array.isArray(x) ? x : [];
}

/** A name made safe for a file name (letters of any script, digits, dashes). */
function fileStem(s) {
  const stem = String(s || '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || 'cohort';
}

function download(name, parts, type) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A cell that would start a formula in a spreadsheet gets a leading apostrophe (as the core's CSV). */
function neutralise(cell) {
  const s = String(cell);
  if (/^[=+\-@\t\r]/.test(s) && !Number.isFinite(Number(s))) return `'${s}`;
  return s;
}

let announceTimer = 0;
function announce(text) {
  // Cleared first so that the same sentence twice is still read out.
  els.announce.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    els.announce.textContent = text;
  }, 50);
}

// ================================================================ status, progress, errors

let statusMsg = { key: 'loading', vars: {} };
let busy = false;
let cancelTimer = 0;

function setStatus(key, vars = {}) {
  statusMsg = { key, vars };
  els.statusText.textContent = t(key, vars);
}

let statusInView = true;
new IntersectionObserver((entries) => {
  statusInView = entries.some((e) => e.isIntersecting);
  placeStatus();
}).observe(els.statusSlot);

function placeStatus() {
  els.statusRow.classList.toggle('floating', busy && !statusInView);
}

function setBusy(on, { progress = false } = {}) {
  busy = on;
  placeStatus();
  els.status.classList.toggle('is-busy', on);
  document.documentElement.dataset.state = on ? 'busy' : 'idle';
  els.results.setAttribute('aria-busy', on ? 'true' : 'false');
  clearTimeout(cancelTimer);
  if (on) {
    els.progress.hidden = !progress;
    els.progress.value = 0;
    els.progress.setAttribute('value', '0');
    // Cancel shows when an analysis takes a moment, so quick ones don't flicker.
    cancelTimer = setTimeout(() => {
      if (busy) els.cancel.hidden = false;
    }, progress ? 0 : 400);
  } else {
    els.progress.hidden = true;
    els.cancel.hidden = true;
  }
}

/** The error shown beside the drop zone: {titleKey, text, core} so it can be re-read in another language. */
let errorMsg = null;

/** Where the error box goes: beside the drop zone, or at the top of step 2 after a change made there. */
const errorHome = els.error.parentElement;
let errorNearMapping = false;

function showError(titleKey, text, core = false, mappingHint = false) {
  // The core's messages come in the language they were asked in: said so when the page's has changed since.
  errorMsg = { titleKey, text, core, mappingHint, lang };
  const near = errorNearMapping && !els.mapping.hidden;
  if (near && els.error.parentElement !== els.mappingBody) els.mappingBody.prepend(els.error);
  if (!near && els.error.parentElement !== errorHome) errorHome.append(els.error);
  renderError();
  els.error.hidden = false;
  if (near) setMappingOpen(true);
}

function renderError() {
  if (!errorMsg) return;
  els.errorTitle.textContent = t(errorMsg.titleKey);
  const lead = errorMsg.core && errorMsg.lang !== lang ? t('err_core_lead') : '';
  els.errorMessage.textContent = typeof errorMsg.text === 'function' ? errorMsg.text() : lead + errorMsg.text;
  const here = els.error.parentElement === els.mappingBody;
  const yes = errorMsg.mappingHint && errorMsg.mappingHint.yes;
  const hint = yes && arr((state.mapping || {}).binary).some((b) => b && b.column === yes) ? 'err_hint_yes' : 'err_hint_event';
  if (yes) els.errorHint.textContent = t(here ? `${hint}_here` : hint, { col: yes });
  else els.errorHint.textContent = errorMsg.mappingHint ? t(here ? 'err_hint_mapping_here' : 'err_hint_mapping') : '';
  els.errorHint.hidden = !errorMsg.mappingHint;
}

/**
 * Whether the core's error `message` is about the mapping (then step 2 is pointed to): `{yes: column}` when it
 * says that a yes/no column is not written as yes/no, true for another mapping error, false otherwise.
 */
function mappingHintOf(message) {
  const yes = yesErrorColumn(message);
  if (yes) return { yes };
  return /mapping|column|映射|列/i.test(message);
}

function clearError() {
  errorMsg = null;
  els.error.hidden = true;
  els.errorMessage.textContent = '';
}


// ================================================================ the worker

let worker = null;
/** Which file's bytes the current worker holds. */
let workerFileId = null;
let nextCallId = 1;
const pending = new Map();
if (bootWorker) worker = startWorker();

function startWorker() {
  const w = bootWorker || new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  bootWorker = null;
  w.onmessage = (event) => {
    const msg = event.data || {};
    const p = pending.get(msg.id);
    if (!p) return;
    if (typeof msg.progress === 'number') {
      if (p.onProgress) p.onProgress(msg.progress);
      return;
    }
    pending.delete(msg.id);
    if (msg.fatal) restartWorker();
    p.resolve(msg);
  };
  w.onerror = (event) => {
    event.preventDefault();
    restartWorker({ ok: false, message: t('err_worker') });
  };
  w.onmessageerror = () => {
    restartWorker({ ok: false, message: t('err_worker') });
  };
  return w;
}

/** Stops the worker (and whatever it was doing); calls waiting on it get `answer`. */
function restartWorker(answer = { ok: false, cancelled: true }) {
  if (worker) worker.terminate();
  worker = null;
  workerFileId = null;
  for (const [id, p] of pending) {
    pending.delete(id);
    p.resolve({ id, ...answer });
  }
}

/** The message of a failed answer: the worker's own in the page's language, the core's as it says it. */
function workerMessage(answer) {
  if (answer.code && STRINGS.en[`werr_${answer.code}`]) return t(`werr_${answer.code}`);
  return plainMessage({ message: answer.message || t('err_worker') });
}

/** Sends request `type` with `payload` to the worker (started if need be); resolves with its answer. */
function askWorker(type, payload = {}, onProgress = null, transfer = []) {
  if (!worker) worker = startWorker();
  const id = nextCallId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve, onProgress });
    worker.postMessage({ id, type, ...payload }, transfer);
  });
}

/** Sends `type` with `payload` for the current file; the file (a Blob, not copied) goes along when the worker lacks it. */
function callWorker(type, payload, onProgress) {
  const file = state.file;
  const message = { fileId: file.id, ...payload };
  if (workerFileId !== file.id) {
    message.file = file.blob;
    workerFileId = file.id;
  }
  return askWorker(type, message, onProgress);
}

/**
 * Asks the worker for a view (`tables`, `charts`, `draw`, `svg`, `csv`) of the analysis shown. A worker
 * started afresh (after Cancel or an error) no longer has it: the analysis is run again, and null returned.
 */
async function askView(type, payload = {}) {
  const answer = await askWorker(type, payload);
  if (answer.ok) return answer;
  // The file shown is still the one loaded: analyse it again (the views come with the new results).
  if (answer.gone && state.shown && state.file && state.shown.fileId === state.file.id) analyse();
  else if (answer.gone) throw new Error(t('err_gone'));
  if (answer.gone || answer.cancelled) return null;
  throw new Error(workerMessage(answer));
}

/**
 * The encodings offered for a text file (label as the core takes it, name in English, in Chinese): those Excel
 * saves CSV in on Windows in the languages most met. Any other label can come in a loaded mapping.
 */
const ENCODINGS = [
  ['UTF-8', 'UTF-8', 'UTF-8'],
  ['windows-1252', 'Windows-1252 (Western European)', 'Windows-1252（西欧）'],
  ['gb18030', 'GB18030 (Simplified Chinese)', 'GB18030（简体中文）'],
  ['Big5', 'Big5 (Traditional Chinese)', 'Big5（繁体中文）'],
  ['Shift_JIS', 'Shift_JIS (Japanese)', 'Shift_JIS（日文）'],
  ['EUC-KR', 'EUC-KR (Korean)', 'EUC-KR（韩文）'],
  ['UTF-16LE', 'UTF-16LE', 'UTF-16LE'],
  ['UTF-16BE', 'UTF-16BE', 'UTF-16BE'],
  ['windows-1250', 'Windows-1250 (Central European)', 'Windows-1250（中欧）'],
  ['ISO-8859-2', 'ISO-8859-2 (Central European)', 'ISO-8859-2（中欧）'],
  ['windows-1251', 'Windows-1251 (Cyrillic)', 'Windows-1251（西里尔文）'],
];

// ================================================================ state

const state = {
  /** {id, name, label (function), blob: Blob (or File), size, demo} */
  file: null,
  headers: [],
  sheets: [],
  sheet: null,
  /** The encoding label a text file is read in (null: the one the core detects). */
  encoding: null,
  /** The encoding the core detected in the text file (null: a workbook, or not known yet). */
  encodingDetected: null,
  /** What `inspect` said about each role, if it is available. */
  roles: null,
  /** The mapping `inspect` guessed, or null. */
  guessed: null,
  /** The distinct values of each column of few (`inspect`'s `values`: column → texts), to name them. */
  values: {},
  /** Columns whose editor of value names is open in the panel. */
  namesOpen: new Set(),
  /** The mapping being edited (a plain object in the mapping JSON format), or null to let the core guess. */
  mapping: null,
  /** 'demo' | 'guessed' | 'edited' | 'loaded' */
  mappingSource: 'guessed',
  mappingName: '',
  /** Groups and comparisons of a T-score mapping, kept while another kind of strata is tried. */
  keptGroups: null,
  /** The last analysis: {result, fileId, tables, methods, tablesLang, ms}. */
  shown: null,
};

let fileSeq = 0;
/** Bumped by every action that makes earlier work stale (a new file, a change, cancel). */
let opSeq = 0;
let finishedRuns = 0;

function fileLabel() {
  if (!state.file) return '';
  return state.file.demo ? t('demo_label') : state.file.name;
}

// ================================================================ opening a file

async function openFile(file, note = null) {
  if (!file) return;
  const name = file.name || 'file';
  errorNearMapping = false;
  clearError();
  if (file.size > MAX_BYTES) {
    showError('err_title', t('err_too_big', { name, mb: Math.round(file.size / 1048576), max: MAX_BYTES / 1048576 }));
    setStatus('not_analysed', { name });
    return;
  }
  // The worker reads the file itself (a File goes over without a copy), so the page never holds its bytes.
  await openBytes({ name, blob: file, demo: false }, null, note);
}

/**
 * The demo's results as the build made them (`xtask/prerender.mjs`, the same module): taken once, at the
 * first showing of the demo, so that it is on the page before the worker's module has compiled. Null if the
 * page has none (or it cannot be read).
 */
function takePrerendered() {
  const node = document.getElementById('demo-prerendered');
  if (!node) return null;
  node.remove();
  try {
    const pre = JSON.parse(node.textContent || 'null');
    return pre && typeof pre.result === 'string' && typeof pre.csv === 'string' ? pre : null;
  } catch {
    return null;
  }
}

/**
 * The demo: one request brings its bytes (for the download link), its mapping, what `inspect` says of it and
 * its analysis, which the worker makes as soon as it starts, before it is asked. The first time, the page
 * shows the build's copy of that answer at once, and the worker's when it comes only confirms it.
 */
async function openDemo() {
  const op = ++opSeq;
  if (pending.size) restartWorker();
  errorNearMapping = false;
  clearError();
  const id = ++fileSeq;
  setStatus('loading');
  const t0 = performance.now();
  const pre = takePrerendered();
  // Asked first (the worker then holds the demo for every later request), or, when the build's copy
  // is shown, once that is painted.
  let asked = pre ? null : askWorker('demo', { fileId: id, lang });
  if (pre) {
    const bytes = new TextEncoder().encode(pre.csv);
    // The charts are the worker's to draw: their requests wait for the demo's (see `drawChart`).
    let demoAsked = () => {};
    demoRequested = new Promise((resolve) => (demoAsked = resolve));
    // Untimed: the analysis was made at build time.
    await showDemo({ ok: true, bytes, mapping: pre.mapping, inspect: pre.inspect, result: pre.result, charts: pre.charts }, id, op, null);
    // Not asked yet: a request made before it is asked sends the demo's bytes along.
    if (workerFileId === id) workerFileId = null;
    await afterPaint();
    // Another file chosen (or the mapping changed) meanwhile: those requests have started the worker.
    if (op === opSeq) {
      asked = askWorker('demo', { fileId: id, lang });
      workerFileId = id;
    }
    demoAsked();
    demoRequested = null;
    if (!asked) return;
  }
  const answer = await asked;
  if (op !== opSeq || answer.cancelled) return;
  if (!pre) {
    await showDemo(answer, id, op, t0);
    return;
  }
  const same = answer.ok && answer.result === pre.result;
  document.documentElement.dataset.prerender = same ? 'same' : 'differs';
  // Never expected (the build made it with this very module), but the worker's answer is the one to show.
  if (!same) await showDemo(answer, id, op, t0);
}

/** While the build's copy of the demo is shown and the worker not yet asked for the demo: settles once it is. */
let demoRequested = null;

/** Shows the demo from the worker's answer to 'demo' (or the build's copy of it, untimed: `t0` null). */
async function showDemo(answer, id, op, t0) {
  if (!answer.ok) {
    showError('err_title_load', workerMessage(answer), true);
    setStatus('not_analysed', { name: t('demo_label') });
    return;
  }
  const blob = new Blob([answer.bytes], { type: 'text/csv' });
  els.downloadDemo.href = URL.createObjectURL(blob);
  els.downloadDemo.removeAttribute('aria-disabled');
  newFile({ id, name: 'demo.csv', blob, demo: true });
  // The worker holds the demo read (or will, its request being first in line): later requests need not send it.
  workerFileId = id;
  try {
    state.mapping = JSON.parse(answer.mapping);
  } catch {
    state.mapping = null;
  }
  takeInspection(JSON.parse(answer.inspect), null);
  if (!state.mapping) state.mapping = state.guessed;
  renderMappingPanel({ open: false });
  await showAnswer(answer, { op, ms: t0 === null ? null : Math.round(performance.now() - t0) });
  // The demo is on the page: once it is painted and the worker has drawn its charts, the worker may warm
  // up for the file to come (no answer, nothing to wait for; see worker.js).
  setTimeout(() => {
    if (worker && state.file && state.file.demo) worker.postMessage({ type: 'warm' });
  }, WARM_UP_AFTER_MS);
}

/** Makes `file` the current file, with nothing known of it yet. */
function newFile({ id = ++fileSeq, name, blob, demo }) {
  state.file = { id, name, blob, size: blob.size, demo };
  state.headers = [];
  state.sheets = [];
  state.sheet = null;
  state.encoding = null;
  state.encodingDetected = null;
  state.roles = null;
  state.guessed = null;
  state.values = {};
  state.keptGroups = null;
  state.mapping = null;
  state.mappingSource = demo ? 'demo' : 'guessed';
  state.mappingName = '';
}

/** Keeps the file (a Blob), has its headers (and sheets) read, sets the mapping and analyses. */
async function openBytes({ name, blob, demo }, mapping, note = null) {
  const op = ++opSeq;
  if (pending.size) restartWorker();
  errorNearMapping = false;
  clearError();
  newFile({ name, blob, demo });
  // The panel still shows the previous file's choices until this one's columns are known: not to be used meanwhile.
  els.mapping.inert = true;
  setBusy(true, { progress: blob.size > PROGRESS_BYTES });
  setStatus('inspecting', { name: fileLabel });
  const inspected = await inspectFile(null, readProgress(op, blob.size > PROGRESS_BYTES));
  if (op !== opSeq) return;
  if (inspected.error) {
    setBusy(false);
    hideResults();
    showError('err_title', inspected.error, true);
    setStatus('failed', { name: fileLabel });
    renderMappingPanel();
    countRun();
    return;
  }
  if (mapping) state.mapping = mapping;
  else if (inspected.guess) state.mapping = inspected.guess;
  renderMappingPanel({ open: !demo });
  await analyse({ op, note });
}

/**
 * Headers, sheets and the guessed mapping of the current file (of `sheet`, if given; a text file in the encoding
 * `state.encoding`, if chosen), from the core's `inspect`. The worker reads the file here (later analyses reuse the
 * reading); `onProgress` follows it.
 */
async function inspectFile(sheet, onProgress = null) {
  const payload = sheet ? { sheet, lang } : { lang };
  if (state.encoding) payload.encoding = state.encoding;
  const answer = await callWorker('inspect', payload, onProgress);
  if (answer.cancelled) return { cancelled: true };
  if (!answer.ok) return { error: workerMessage(answer) };
  takeInspection(JSON.parse(answer.result), sheet);
  return { guess: state.guessed };
}

/** Keeps what the core's `inspect` said (`r`, its JSON parsed) of the current file's `sheet` (or the one read). */
function takeInspection(r, sheet) {
  state.headers = arr(r.headers).map(String);
  state.sheets = arr(r.sheets).map(String);
  state.sheet = sheet || (typeof r.sheet === 'string' ? r.sheet : null) || state.sheets[0] || null;
  // A workbook's text is Unicode whatever it says; a text file's encoding was detected unless one was chosen.
  const read = typeof r.encoding === 'string' ? r.encoding : null;
  if (read === 'Unicode' || state.sheets.length) state.encodingDetected = null;
  else if (!state.encoding) state.encodingDetected = read;
  const g = r.guess || {};
  state.roles = Array.isArray(g.roles) ? g.roles : null;
  state.guessed = g.mapping && typeof g.mapping === 'object' ? g.mapping : null;
  state.values = r.values && typeof r.values === 'object' ? r.values : {};
}

// ================================================================ analysing

/** The mapping sent to the core: incomplete entries left out, empty parts dropped, names filled in. */
function cleanMapping(m) {
  const out = {};
  for (const [k, v] of Object.entries(m)) {
    if (!['id', 'strata', 'paired', 'binary', 'followup', 'events', 'covariates'].includes(k)) out[k] = v;
  }
  if (m.id) out.id = m.id;
  const s = strataOf(m);
  if (s.column) out.strata = { [s.kind]: s.column };
  const paired = arr(m.paired)
    .filter((p) => p && p.before && p.after)
    .map((p) => ({ ...p, name: (p.name || '').trim() || p.before }));
  if (paired.length) out.paired = paired;
  const binary = arr(m.binary)
    .filter((b) => b && b.column)
    .map((b) => cleanYesRule({ ...b, name: (b.name || '').trim() || b.column }));
  if (binary.length) out.binary = binary;
  const fu = followupOf(m);
  if (LENGTH_UNITS.includes(fu.kind) && fu.column) out.followup = { [fu.kind]: fu.column };
  if (fu.kind === 'dates' && fu.start && fu.end) out.followup = { start: fu.start, end: fu.end };
  const events = arr(m.events)
    .filter((e) => e && e.column)
    .map((e) => {
      const x = { ...e, name: (e.name || '').trim() || e.column };
      if (!x.event_value) delete x.event_value;
      if (!x.time) delete x.time;
      if (!x.date) delete x.date;
      return x;
    });
  if (events.length) out.events = events;
  uniqueOutcomeNames(out);
  const cov = arr(m.covariates).filter(Boolean);
  if (cov.length) out.covariates = cov;
  // Comparisons of two different strata; an unfinished one is left out until it is.
  const compare = arr(m.compare).filter((c) => Array.isArray(c) && c[0] && c[1] && c[0] !== c[1]);
  if (compare.length && out.strata) out.compare = compare;
  else delete out.compare;
  cleanCategories(out);
  return out;
}

/**
 * Outcomes named alike (a column added as a yes/no outcome that is an event already) get their kind after the
 * name, as the core refuses two outcomes of one name: the results of one would replace the other's.
 */
function uniqueOutcomeNames(out) {
  const seen = new Set();
  for (const [kind, key] of [['paired', 'same_name_paired'], ['binary', 'same_name_binary'], ['events', 'same_name_event']]) {
    for (const o of arr(out[kind])) {
      let name = o.name;
      for (let i = 2; seen.has(name); i++) name = i === 2 ? `${o.name} (${t(key)})` : `${o.name} (${t(key)} ${i - 1})`;
      o.name = name;
      seen.add(name);
    }
  }
}

function hasOutcome(clean) {
  return arr(clean.paired).length + arr(clean.binary).length + arr(clean.events).length > 0;
}

let analyseTimer = 0;
/** Analyses again after a change in the panel (`delay` ms later, so that typing is not interrupted). */
function scheduleAnalysis(delay = 0) {
  clearTimeout(analyseTimer);
  const op = ++opSeq;
  analyseTimer = setTimeout(() => {
    if (op === opSeq) analyse({ op, fromPanel: true });
  }, delay);
}

/**
 * Follows the worker reading the file for run `op`: the bar (files over 1 MB) and the status give the share
 * read; once read, the bar shows work without a share.
 */
function readProgress(op, big) {
  return (share) => {
    if (op !== opSeq) return;
    const pct = Math.round(Math.min(Math.max(share, 0), 1) * 100);
    if (pct >= 100) {
      if (big) els.progress.removeAttribute('value');
      setStatus('computing', { name: fileLabel });
      return;
    }
    if (big) els.progress.value = pct;
    setStatus('analysing_pct', { name: fileLabel, pct });
  };
}

async function analyse({ op = ++opSeq, note = null, fromPanel = false } = {}) {
  const file = state.file;
  if (!file) return;
  errorNearMapping = fromPanel;
  // A run still going is for an older choice: stop it rather than wait.
  if (pending.size) restartWorker();
  clearError();
  let mappingJson;
  if (state.mapping) {
    const clean = cleanMapping(state.mapping);
    if (!hasOutcome(clean)) {
      setBusy(false);
      hideResults();
      showError('err_title_outcome', () => t('need_outcome', { name: fileLabel }));
      setStatus('need_outcome', { name: fileLabel });
      countRun();
      return;
    }
    mappingJson = JSON.stringify(clean);
  }
  const big = file.size > PROGRESS_BYTES;
  setBusy(true, { progress: big });
  setStatus('analysing', { name: fileLabel });
  announce(t('analysing', { name: fileLabel }));
  const t0 = performance.now();
  const answer = await callWorker('analyze', { mappingJson, lang }, readProgress(op, big));
  if (op !== opSeq || answer.cancelled) return;
  await showAnswer(answer, { op, note, ms: Math.round(performance.now() - t0) });
}

/** Shows the worker's answer to an analysis (run `op`, which took `ms`): its results, or what went wrong. */
async function showAnswer(answer, { op, note = null, ms }) {
  setBusy(false);
  if (answer.ok) {
    try {
      const result = JSON.parse(answer.result);
      if (!result || !result.report) throw new Error(t('err_no_report'));
      if (!state.mapping && typeof result.mapping_json === 'string') {
        // The core guessed: show its guess in the panel, to be checked.
        try {
          state.mapping = JSON.parse(result.mapping_json);
        } catch {
          state.mapping = null;
        }
        state.mappingSource = 'guessed';
        renderMappingPanel();
      }
      await showResults(result, ms, op, answer.charts);
      if (op !== opSeq) return;
      const r = result.report;
      const vars = { name: fileLabel, included: count(r.rows_included), read: count(r.rows_read), ms };
      setStatus(ms === null ? 'shown_untimed' : 'shown', vars);
      announce(t('shown_announce', vars) + (note ? ` ${note()}` : ''));
      if (note) els.statusText.textContent += ` ${note()}`;
    } catch (e) {
      hideResults();
      showError('err_title_show', plainMessage(e));
      setStatus('not_shown', { name: fileLabel });
    }
  } else {
    hideResults();
    const message = answer.fatal ? t('err_internal') : workerMessage(answer);
    showError('err_title', message, !answer.fatal, !answer.fatal && state.headers.length > 0 && mappingHintOf(message));
    setStatus(els.error.parentElement === els.mappingBody ? 'failed_mapping' : 'failed', { name: fileLabel });
    announce(`${t('err_title')}: ${els.errorMessage.textContent}`);
    // The panel stays (when there are columns to choose from), open.
    renderMappingPanel({ open: true });
  }
  countRun();
}

/** A counter of finished analyses on <html data-analyses>, for tests and tools that drive the page. */
function countRun() {
  document.documentElement.dataset.analyses = String(++finishedRuns);
}

function cancel() {
  opSeq++;
  clearTimeout(analyseTimer);
  restartWorker();
  // A fresh worker, ready for the next run.
  worker = startWorker();
  setBusy(false);
  // A file whose columns were still being read has no choices to show.
  if (state.file && state.headers.length === 0) renderMappingPanel();
  const stale = !els.results.hidden;
  setStatus(stale ? 'cancelled_stale' : 'cancelled');
  announce(t(stale ? 'cancelled_stale' : 'cancelled'));
  els.choose.focus();
}

// ================================================================ the mapping panel

function strataOf(m) {
  const s = m && m.strata;
  if (s && typeof s === 'object') {
    if (typeof s.tscore === 'string') return { kind: 'tscore', column: s.tscore };
    if (typeof s.column === 'string') return { kind: 'column', column: s.column };
  }
  return { kind: 'tscore', column: '' };
}

/** The units a follow-up length may be given in (the core gives it in months). */
const LENGTH_UNITS = ['months', 'days', 'weeks', 'years'];

/** The mapping's follow-up: `kind` 'none', 'dates' or a unit of `LENGTH_UNITS` (then `column` is its column). */
function followupOf(m) {
  const f = m && m.followup;
  if (f && typeof f === 'object') {
    const unit = LENGTH_UNITS.find((u) => u in f);
    if (unit) return { kind: unit, column: f[unit] || '', start: '', end: '' };
    if ('start' in f || 'end' in f) return { kind: 'dates', column: '', start: f.start || '', end: f.end || '' };
  }
  return { kind: 'none', column: '', start: '', end: '' };
}

function timingOf(e) {
  if (e.date !== undefined) return 'date';
  if (e.time !== undefined) return 'time';
  return 'followup';
}

let fieldSeq = 0;

/** A labelled control: <label><span>text</span><control></label>. */
function field(labelKey, control, cls = '') {
  return el('label', { class: `field ${cls}`.trim() }, el('span', { class: 'field-label', text: t(labelKey) }), control);
}

/** A <select> of the file's headers; a mapped column missing from the file is kept and marked. */
function columnSelect(key, value, { empty = 'opt_none' } = {}) {
  const s = el('select', { dataset: { key }, id: `m-${++fieldSeq}` });
  s.append(el('option', { value: '', text: t(empty) }));
  const headers = state.headers;
  if (value && !headers.includes(value)) {
    s.append(el('option', { value, text: t('opt_missing', { name: value }) }));
    s.classList.add('missing');
    s.setAttribute('aria-invalid', 'true');
  }
  for (const h of headers) s.append(el('option', { value: h, text: h }));
  s.value = value || '';
  return s;
}

function optionSelect(key, value, options) {
  const s = el('select', { dataset: { key }, id: `m-${++fieldSeq}` });
  for (const [v, k] of options) s.append(el('option', { value: v, text: t(k) }));
  s.value = value;
  return s;
}

function textInput(key, value, placeholder = '') {
  return el('input', { type: 'text', dataset: { key }, value: value || '', placeholder, autocomplete: 'off', spellcheck: false });
}

/**
 * The strata a comparison can name: those of the analysis shown (its levels and combined strata, not
 * Overall), and any the mapping names already.
 */
function compareChoices(m) {
  const names = [];
  // The analysis shown, if it is of this file (another file's strata are no choice here).
  const shown = state.shown && state.file && state.shown.fileId === state.file.id ? state.shown : null;
  const report = shown && shown.result && shown.result.report;
  for (const st of arr(report && report.strata)) {
    const name = cellText(st && st.name);
    if (name && st.kind !== 'overall' && !names.includes(name)) names.push(name);
  }
  for (const pair of arr(m.compare)) for (const name of arr(pair)) if (name && !names.includes(name)) names.push(name);
  return names;
}

/** A <select> of stratum names (shown in the page's language where cohortcalc named them). */
function stratumSelect(key, value, names, who) {
  const s = el('select', { dataset: { key }, id: `m-${++fieldSeq}` });
  s.append(el('option', { value: '', text: t('opt_choose_stratum') }));
  for (const name of names) s.append(el('option', { value: name, text: stratumName(name, who) }));
  s.value = value || '';
  return s;
}

function removeButton(key, name) {
  return el('button', {
    type: 'button',
    class: 'button small quiet remove',
    dataset: { remove: key },
    'aria-label': t('remove_named', { name }),
    text: t('remove'),
  });
}

function note(key, vars) {
  return el('p', { class: 'row-note', text: t(key, vars) });
}

/** One entry of a role group: its fields in a row (of class `rowClass`), and under them the note `noteKey`, if any. */
function roleItem(fields, noteKey = null, rowClass = 'role-row') {
  const item = el('div', { class: 'role-item' }, el('div', { class: rowClass }, ...fields));
  if (noteKey) item.append(note(noteKey));
  return item;
}

function renderMappingPanel({ open } = {}) {
  els.mapping.inert = false;
  // Without headers (a file that could not be read) there is nothing to choose from.
  els.mapping.hidden = !state.file || state.headers.length === 0;
  if (els.mapping.hidden) return;
  if (open !== undefined) setMappingOpen(open);
  const m = state.mapping || {};
  const focusKey = document.activeElement && els.form.contains(document.activeElement) ? document.activeElement.dataset.key : null;

  // Sheets of a workbook.
  els.sheetField.hidden = state.sheets.length < 2;
  els.sheet.replaceChildren(...state.sheets.map((s) => el('option', { value: s, text: s })));
  if (state.sheet) els.sheet.value = state.sheet;

  // The encoding of a text file: the one detected, or one chosen (the file is then read again in it).
  els.encodingField.hidden = !state.encodingDetected && !state.encoding;
  if (!els.encodingField.hidden) {
    const auto = state.encodingDetected ? t('enc_auto', { name: state.encodingDetected }) : t('enc_auto_plain');
    const choices = ENCODINGS.slice();
    if (state.encoding && !choices.some(([label]) => label.toLowerCase() === state.encoding.toLowerCase())) {
      choices.push([state.encoding, state.encoding, state.encoding]);
    }
    els.encoding.replaceChildren(
      el('option', { value: '', text: auto }),
      ...choices.map(([label, en, zh]) => el('option', { value: label, text: lang === 'zh' ? zh : en })),
    );
    const chosen = state.encoding ? choices.find(([label]) => label.toLowerCase() === state.encoding.toLowerCase()) : null;
    els.encoding.value = chosen ? chosen[0] : '';
  }

  renderDetected();
  renderMappingState();

  const groups = [];

  // Patients and strata.
  const s = strataOf(m);
  const patients = el(
    'fieldset',
    { class: 'role-group' },
    el('legend', { text: t('g_patients') }),
    el(
      'div',
      { class: 'role-row' },
      field('f_id', columnSelect('id', m.id || '')),
      field('f_strata', columnSelect('strata.column', s.column)),
      field('f_strata_kind', optionSelect('strata.kind', s.kind, [['tscore', 'k_tscore'], ['column', 'k_column']])),
    ),
  );
  // Strata cohortcalc names (WHO categories of a T-score) in the page's language; the file's own as written.
  const who = s.kind === 'tscore';
  const groupText = entriesOf(m.groups).map(([g, members]) => `${stratumName(g, who)} = ${arr(members).map((x) => stratumName(x, who)).join(' + ')}`);
  if (groupText.length) patients.append(el('p', { class: 'row-note quiet', text: t('groups_note', { groups: groupText.join('; ') }) }));
  groups.push(patients);

  // Pairs of strata compared (the levels are always tested together): the strata of the analysis shown.
  if (s.column) {
    const compare = el('fieldset', { class: 'role-group' }, el('legend', { text: t('g_compare') }));
    const names = compareChoices(m);
    arr(m.compare).forEach((pair, i) => {
      const [a, b] = arr(pair);
      const label = [a, b].map((x) => stratumName(x || '', who)).join(lang === 'zh' ? ' 对比 ' : ' vs ');
      const fields = [
        field('f_compare_a', stratumSelect(`compare.${i}.0`, a, names, who)),
        field('f_compare_b', stratumSelect(`compare.${i}.1`, b, names, who)),
        removeButton(`compare.${i}`, label),
      ];
      compare.append(roleItem(fields, !a || !b ? 'incomplete_compare' : a === b ? 'same_compare' : null));
    });
    compare.append(el('button', { type: 'button', class: 'button small add', dataset: { add: 'compare' }, text: `+ ${t('add_compare')}` }));
    groups.push(compare);
  }

  // Paired outcomes.
  const paired = el('fieldset', { class: 'role-group' }, el('legend', { text: t('g_paired') }));
  arr(m.paired).forEach((p, i) => {
    const fields = [
      field('f_name', textInput(`paired.${i}.name`, p.name, p.before || t('unnamed', { n: i + 1 }))),
      field('f_before', columnSelect(`paired.${i}.before`, p.before, { empty: 'opt_choose' })),
      field('f_after', columnSelect(`paired.${i}.after`, p.after, { empty: 'opt_choose' })),
      field('f_better', optionSelect(`paired.${i}.better`, p.better === 'higher' ? 'higher' : 'lower', [['lower', 'better_lower'], ['higher', 'better_higher']])),
      field(
        'f_threshold',
        el('input', {
          type: 'number',
          step: 'any',
          min: '0',
          inputMode: 'decimal',
          dataset: { key: `paired.${i}.threshold` },
          value: Number.isFinite(p.threshold) ? String(p.threshold) : '',
          placeholder: t('threshold_ph'),
          title: t('threshold_title'),
        }),
        'narrow',
      ),
      removeButton(`paired.${i}`, p.name || p.before || t('unnamed', { n: i + 1 })),
    ];
    paired.append(roleItem(fields, !p.before || !p.after ? 'incomplete_pair' : null, 'role-row paired-row'));
  });
  paired.append(el('button', { type: 'button', class: 'button small add', dataset: { add: 'paired' }, text: `+ ${t('add_paired')}` }));
  groups.push(paired);

  // Yes/no outcomes.
  const binary = el('fieldset', { class: 'role-group' }, el('legend', { text: t('g_binary') }));
  arr(m.binary).forEach((b, i) => {
    const fields = [
      field('f_name', textInput(`binary.${i}.name`, b.name, b.column || t('unnamed', { n: i + 1 }))),
      field('f_column', columnSelect(`binary.${i}.column`, b.column, { empty: 'opt_choose' })),
      ...yesFields(b, i),
      removeButton(`binary.${i}`, b.name || b.column || t('unnamed', { n: i + 1 })),
    ];
    binary.append(roleItem(fields, b.column ? yesNote(b) : 'incomplete_one'));
  });
  binary.append(el('button', { type: 'button', class: 'button small add', dataset: { add: 'binary' }, text: `+ ${t('add_binary')}` }));
  groups.push(binary);

  // Follow-up.
  const fu = followupOf(m);
  const fuRow = el(
    'div',
    { class: 'role-row' },
    field('f_followup_kind', optionSelect('followup.kind', fu.kind, [['none', 'fu_none'], ...LENGTH_UNITS.map((u) => [u, `fu_${u}`]), ['dates', 'fu_dates']])),
  );
  const length = LENGTH_UNITS.includes(fu.kind);
  if (length) fuRow.append(field(`f_${fu.kind}`, columnSelect('followup.column', fu.column, { empty: 'opt_choose' })));
  if (fu.kind === 'dates') {
    fuRow.append(
      field('f_start', columnSelect('followup.start', fu.start, { empty: 'opt_choose' })),
      field('f_end', columnSelect('followup.end', fu.end, { empty: 'opt_choose' })),
    );
  }
  const followup = el('fieldset', { class: 'role-group' }, el('legend', { text: t('g_followup') }), el('div', { class: 'role-item' }, fuRow));
  if ((length && !fu.column) || (fu.kind === 'dates' && (!fu.start || !fu.end))) followup.lastChild.append(note('incomplete_fu'));
  groups.push(followup);

  // Events.
  const events = el('fieldset', { class: 'role-group' }, el('legend', { text: t('g_events') }));
  arr(m.events).forEach((e, i) => {
    const timing = timingOf(e);
    const fields = [
      field('f_name', textInput(`events.${i}.name`, e.name, e.column || t('unnamed', { n: i + 1 }))),
      field('f_column', columnSelect(`events.${i}.column`, e.column, { empty: 'opt_choose' })),
      field('f_event_value', markYesNeeded(textInput(`events.${i}.event_value`, e.event_value, t('event_value_ph')), e, !e.event_value)),
      field('f_timing', optionSelect(`events.${i}.timing`, timing, [['followup', 'tm_followup'], ['time', 'tm_time'], ['date', 'tm_date']])),
    ];
    if (timing === 'time') fields.push(field('f_time_col', columnSelect(`events.${i}.time`, e.time, { empty: 'opt_choose' })));
    if (timing === 'date') fields.push(field('f_date_col', columnSelect(`events.${i}.date`, e.date, { empty: 'opt_choose' })));
    fields.push(removeButton(`events.${i}`, e.name || e.column || t('unnamed', { n: i + 1 })));
    const lacks = !e.column ? 'incomplete_one' : timing === 'date' && !(fu.kind === 'dates' && fu.start) ? 'need_start' : null;
    events.append(roleItem(fields, lacks));
  });
  events.append(el('button', { type: 'button', class: 'button small add', dataset: { add: 'events' }, text: `+ ${t('add_event')}` }));
  groups.push(events);

  // Covariates.
  const cov = new Set(arr(m.covariates));
  const boxes = el('div', { class: 'checks' });
  const extra = [...cov].filter((c) => !state.headers.includes(c));
  for (const h of [...state.headers, ...extra]) {
    const box = el('input', { type: 'checkbox', dataset: { key: 'covariates', column: h }, checked: cov.has(h) });
    const label = el('label', { class: `check${state.headers.includes(h) ? '' : ' missing'}` }, box, el('span', { text: state.headers.includes(h) ? h : t('opt_missing', { name: h }) }));
    boxes.append(label);
  }
  groups.push(el('fieldset', { class: 'role-group wide' }, el('legend', { text: t('g_covariates') }), boxes));
  groups.push(categoriesGroup(m));

  els.form.replaceChildren(...groups);
  if (focusKey) {
    const target = els.form.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
    if (target) target.focus();
  }
}

// ---------------------------------------------------------------- what counts as yes; categories and their names

/** Cut-offs on a number that make a yes/no outcome's "yes" (`above`: >, `at_least`: ≥, `below`: <, `at_most`: ≤). */
const CUT_OFFS = ['above', 'at_least', 'below', 'at_most'];
/** How a yes/no column says yes: the usual codes, one value (`event_value`), or a cut-off. */
const YES_RULES = [['', 'yes_codes'], ['event_value', 'yes_value'], ...CUT_OFFS.map((k) => [k, `yes_${k}`])];

function yesRuleOf(b) {
  const cut = CUT_OFFS.find((k) => b[k] !== undefined && b[k] !== null);
  if (cut) return cut;
  return b.event_value !== undefined && b.event_value !== null ? 'event_value' : '';
}

/**
 * The yes/no column of the mapping that the error shown says is not written as yes/no (it asks for the
 * value meaning yes or a cut-off), or null.
 */
function yesErrorColumn(text = errorMsg && typeof errorMsg.text === 'string' ? errorMsg.text : '') {
  if (!text || !/event_value/.test(text)) return null;
  const m = state.mapping || {};
  const cols = [...arr(m.binary), ...arr(m.events)].map((b) => b && b.column).filter(Boolean);
  // The longest name first: "Pain" is in "Pain next morning".
  cols.sort((a, b) => b.length - a.length);
  return cols.find((c) => text.includes(c)) || null;
}

/** Marks `control` of outcome `o` (with no rule yet: `unset`) when the error shown says its column is not yes/no. */
function markYesNeeded(control, o, unset) {
  if (unset && o.column && yesErrorColumn() === o.column) {
    control.classList.add('missing');
    control.setAttribute('aria-invalid', 'true');
  }
  return control;
}

/** The controls after a yes/no outcome's column: what counts as yes, and the value or cut-off. */
function yesFields(b, i) {
  const rule = yesRuleOf(b);
  const ruleSelect = markYesNeeded(optionSelect(`binary.${i}.yes_rule`, rule, YES_RULES), b, !rule);
  const fields = [field('f_yes_rule', ruleSelect, 'yes-rule')];
  if (rule === 'event_value') fields.push(field('f_yes_value', yesValueControl(b, i), 'yes-value'));
  else if (rule) {
    const input = el('input', {
      type: 'number',
      step: 'any',
      inputMode: 'decimal',
      dataset: { key: `binary.${i}.cut_off` },
      value: Number.isFinite(b[rule]) ? String(b[rule]) : '',
      placeholder: t('cut_off_ph'),
    });
    fields.push(field('f_cut_off', input, 'narrow'));
  }
  return fields;
}

/** The value meaning yes: a choice of the column's values where they are known, else typed. */
function yesValueControl(b, i) {
  const key = `binary.${i}.yes_value`;
  const current = b.event_value === undefined || b.event_value === null ? '' : String(b.event_value);
  const known = valuesOf(b.column);
  if (!known || !known.known) return textInput(key, current, t('yes_value_ph'));
  const s = el('select', { dataset: { key }, id: `m-${++fieldSeq}` });
  s.append(el('option', { value: '', text: t('opt_choose') }));
  const values = current && !known.values.includes(current) ? [...known.values, current] : known.values;
  for (const v of values) s.append(el('option', { value: v, text: v }));
  s.value = current;
  return s;
}

/** The note under a yes/no outcome with a column: what is missing of its rule, or that the error is about it. */
function yesNote(b) {
  const rule = yesRuleOf(b);
  if (rule === 'event_value' && !String(b.event_value).trim()) return 'yes_incomplete';
  if (CUT_OFFS.includes(rule) && !Number.isFinite(b[rule])) return 'cut_off_incomplete';
  if (!rule && yesErrorColumn() === b.column) return 'yes_needed';
  return null;
}

/** The note of the outcome holding `ctl`, said again (without drawing the panel again, which typing would lose). */
function setRowNote(ctl, key) {
  const item = ctl.closest('.role-item');
  if (!item) return;
  for (const n of item.querySelectorAll(':scope > .row-note')) n.remove();
  if (key) item.append(note(key));
}

/** Applies a change of what counts as yes (`prop`: yes_rule, yes_value or cut_off) to yes/no outcome `item`. */
function applyYesControl(item, prop, value, ctl) {
  const rule = yesRuleOf(item);
  if (prop === 'yes_rule') {
    // A cut-off keeps its number when only its kind changes (above → at least).
    const kept = CUT_OFFS.includes(rule) ? item[rule] : '';
    for (const k of ['event_value', ...CUT_OFFS]) delete item[k];
    if (value === 'event_value') item.event_value = '';
    else if (CUT_OFFS.includes(value)) item[value] = kept;
    return true;
  }
  if (prop === 'yes_value') item.event_value = String(value).trim();
  if (prop === 'cut_off' && CUT_OFFS.includes(rule)) {
    const text = String(value).trim();
    const x = Number(text.replace(',', '.'));
    item[rule] = text !== '' && Number.isFinite(x) ? x : '';
  }
  setRowNote(ctl, yesNote(item));
  return false;
}

/** A yes/no outcome as sent to the core: a value or cut-off not yet given is left out. */
function cleanYesRule(b) {
  if (typeof b.event_value === 'string') b.event_value = b.event_value.trim();
  if (b.event_value === '' || b.event_value === null) delete b.event_value;
  for (const k of CUT_OFFS) if (b[k] === '' || b[k] === null) delete b[k];
  return b;
}

/** A number as a file may write it (decimal point or comma; a minus sign copied from a document). */
const NUMBER_TEXT = /^[−+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i;
const numberOf = (v) => Number(v.replace(',', '.').replace('−', '-'));

/**
 * The values of `column` to be named: those `inspect` found in the file (columns of few values only) and any
 * the mapping names already; numbers in numerical order, words alphabetically. Null when none are known.
 */
function valuesOf(column, named = {}) {
  const found = state.values && Array.isArray(state.values[column]) ? state.values[column].map(String) : null;
  const all = [...new Set([...(found || []), ...Object.keys(named || {})])];
  if (!all.length) return null;
  if (all.every((v) => NUMBER_TEXT.test(v))) all.sort((a, b) => numberOf(a) - numberOf(b));
  else all.sort((a, b) => a.localeCompare(b));
  return { values: all, known: !!found, numbers: all.every((v) => NUMBER_TEXT.test(v)) };
}

/** The columns whose values can be named: the strata column (of categories as written) and Table 1's. */
function categoryColumns(m) {
  const out = [];
  const s = strataOf(m);
  if (s.kind === 'column' && s.column) out.push({ column: s.column, role: 'cat_role_strata' });
  for (const c of arr(m.covariates)) if (typeof c === 'string' && !out.some((x) => x.column === c)) out.push({ column: c, role: 'cat_role_covariate' });
  return out;
}

function labelsOf(m) {
  return m.labels && typeof m.labels === 'object' && !Array.isArray(m.labels) ? m.labels : {};
}

/**
 * The panel's part for categories: per strata or Table 1 column, a box for "its numbers are category codes"
 * (the mapping's `categorical`; offered for columns of numbers) and an editor of the names of its values
 * (`labels`).
 */
function categoriesGroup(m) {
  const group = el('fieldset', { class: 'role-group wide', id: 'categories-group' }, el('legend', { text: t('g_categories') }));
  const cols = categoryColumns(m);
  group.append(el('p', { class: 'row-note quiet', text: t(cols.length ? 'categories_intro' : 'categories_none') }));
  const categorical = new Set(arr(m.categorical));
  const labels = labelsOf(m);
  cols.forEach(({ column, role }, k) => {
    const own = labels[column] && typeof labels[column] === 'object' ? labels[column] : {};
    const v = valuesOf(column, own);
    const head = el('div', { class: 'cat-head' }, el('span', { class: 'cat-col', text: column }), el('span', { class: 'cat-role', text: t(role) }));
    if ((v && v.numbers) || categorical.has(column)) {
      const box = el('input', { type: 'checkbox', dataset: { key: `cat.${k}`, column }, checked: categorical.has(column) });
      head.append(el('label', { class: 'check cat-codes' }, box, el('span', { text: t('cat_codes') })));
    }
    const item = el('div', { class: 'cat-item' }, head);
    if (!v) {
      item.append(el('p', { class: 'row-note quiet', text: t('cat_many') }));
    } else {
      const details = el('details', { class: 'cat-names', open: state.namesOpen.has(column) });
      details.addEventListener('toggle', () => {
        if (details.open) state.namesOpen.add(column);
        else state.namesOpen.delete(column);
      });
      const summary = el('summary');
      const grid = el('div', { class: 'cat-grid' });
      v.values.forEach((value, j) => {
        const input = el('input', {
          type: 'text',
          dataset: { key: `label.${k}.${j}`, column, value },
          value: typeof own[value] === 'string' ? own[value] : '',
          placeholder: t('cat_label_ph'),
          autocomplete: 'off',
          spellcheck: false,
          'aria-label': t('cat_value', { value, col: column }),
        });
        grid.append(el('div', { class: 'cat-name' }, el('span', { class: 'cat-code', text: value, title: value }), input));
      });
      details.append(summary, grid);
      countNames(details);
      item.append(details);
    }
    group.append(item);
  });
  return group;
}

/** The summary of an editor of value names, with how many are named. */
function countNames(details) {
  const inputs = [...details.querySelectorAll('input')];
  const k = inputs.filter((i) => i.value.trim()).length;
  details.querySelector('summary').textContent = k ? t('cat_names_count', { k, n: inputs.length }) : t('cat_names');
}

/** Draws the categories part again (after a change of the columns it lists). */
function refreshCategories() {
  const old = document.getElementById('categories-group');
  if (old) old.replaceWith(categoriesGroup(state.mapping || {}));
}

/** Applies a change of a "category codes" box or of a value's name; the panel need not be drawn again. */
function applyCategoryControl(ctl, m) {
  const column = ctl.dataset.column;
  if (ctl.dataset.key.startsWith('cat.')) {
    const cat = arr(m.categorical).filter((c) => c !== column);
    if (ctl.checked) cat.push(column);
    if (cat.length) m.categorical = cat;
    else delete m.categorical;
    return false;
  }
  const labels = { ...labelsOf(m) };
  const own = { ...(labels[column] && typeof labels[column] === 'object' ? labels[column] : {}) };
  const name = ctl.value.trim();
  if (name) own[ctl.dataset.value] = name;
  else delete own[ctl.dataset.value];
  if (Object.keys(own).length) labels[column] = own;
  else delete labels[column];
  if (Object.keys(labels).length) m.labels = labels;
  else delete m.labels;
  const details = ctl.closest('details');
  if (details) countNames(details);
  return false;
}

/** The mapping's categories and names as sent to the core: empty lists and maps left out. */
function cleanCategories(out) {
  if (Array.isArray(out.categorical)) {
    const cat = out.categorical.filter((c) => typeof c === 'string' && c);
    if (cat.length) out.categorical = cat;
    else delete out.categorical;
  }
  if (out.labels && typeof out.labels === 'object' && !Array.isArray(out.labels)) {
    const labels = {};
    for (const [col, names] of Object.entries(out.labels)) {
      if (!names || typeof names !== 'object' || Object.keys(names).length) labels[col] = names;
    }
    if (Object.keys(labels).length) out.labels = labels;
    else delete out.labels;
  }
}

function setMappingOpen(open) {
  els.mappingBody.hidden = !open;
  els.mappingToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  els.mappingToggle.textContent = t(open ? 'mapping_hide' : 'mapping_show');
}

/** One line saying where the mapping came from and what it holds. */
function renderMappingState() {
  const m = state.mapping ? cleanMapping(state.mapping) : {};
  let head;
  if (!state.mapping) head = t('ms_none');
  else if (state.mappingSource === 'demo') head = t('ms_demo');
  else if (state.mappingSource === 'loaded') head = t('ms_loaded', { name: state.mappingName });
  else if (state.mappingSource === 'edited') head = t('ms_edited');
  else head = t('ms_guessed');
  const parts = [];
  const s = strataOf(m);
  if (s.column) parts.push(t('ms_summary_strata', { col: s.column }));
  for (const role of ['paired', 'binary', 'events']) {
    const n = arr(m[role]).length;
    if (n) parts.push(n === 1 ? t(`ms_summary_${role}_1`) : t(`ms_summary_${role}`, { n }));
  }
  els.mappingState.textContent = parts.length ? `${head} ${parts.join(' · ')}` : head;
  els.mappingState.classList.toggle('guessed', state.mappingSource === 'guessed');
}

/** What `inspect` detected, role by role, with its confidence and the other candidates. */
function renderDetected() {
  const roles = state.roles;
  els.detected.hidden = !roles || roles.length === 0 || state.mappingSource !== 'guessed';
  if (els.detected.hidden) return;
  const items = roles.map((r) => {
    const role = String((r && r.role) || '');
    const known = Object.keys(STRINGS.en)
      .filter((k) => k.startsWith('role_'))
      .find((k) => role.toLowerCase().split(/[^a-z]+/).includes(k.slice(5)));
    const label = known ? t(known) : role;
    let conf = r && r.confidence;
    let low = false;
    if (typeof conf === 'number' && Number.isFinite(conf)) {
      const pct = conf <= 1 ? conf * 100 : conf;
      low = pct < 60;
      conf = `${Math.round(pct)}%`;
    } else if (typeof conf === 'string') {
      low = /low|weak/i.test(conf);
    } else conf = null;
    const li = el('li', { class: low ? 'low' : '' });
    li.append(el('span', { class: 'det-role', text: `${label}: ` }));
    li.append(el('span', { class: 'det-col', text: cellText(r && r.column) ? `“${r.column}”` : t('det_none') }));
    const bits = [];
    if (conf) bits.push(t('det_conf', { pct: conf }));
    const reason = cellText(r && (lang === 'zh' && r.reason_zh ? r.reason_zh : r.reason));
    if (reason) bits.push(reason);
    const alts = arr(r && r.alternatives).map((a) => (typeof a === 'string' ? a : a && a.column)).filter(Boolean);
    if (alts.length) bits.push(t('det_alternatives', { list: alts.map((a) => `“${a}”`).join(', ') }));
    if (bits.length) li.append(el('span', { class: 'det-why', text: ` — ${bits.join(lang === 'zh' ? '；' : '; ')}` }));
    if (low) li.append(el('strong', { class: 'det-check', text: ` ${t('det_check')}` }));
    return li;
  });
  els.detectedList.replaceChildren(...items);
}

/** Applies one control's value to the mapping; returns true when the panel must be drawn again. */
function applyControl(ctl) {
  const key = ctl.dataset.key;
  if (!key) return false;
  const m = (state.mapping = state.mapping || {});
  if (key.startsWith('cat.') || key.startsWith('label.')) return applyCategoryControl(ctl, m);
  const [role, idx, prop] = key.split('.');
  const value = ctl.type === 'checkbox' ? ctl.checked : ctl.value;
  if (role === 'id') {
    if (value) m.id = value;
    else delete m.id;
    return false;
  }
  if (role === 'strata') {
    const s = strataOf(m);
    const was = s.column ? `${s.kind}:${s.column}` : '';
    if (idx === 'column') {
      // A first strata column: T-scores if its header says so, else categories as written.
      if (!s.column && !m.strata && value) s.kind = TSCORE_HEADER.test(value) ? 'tscore' : 'column';
      s.column = value;
    } else s.kind = value;
    // The kind is kept even without a column (the core is sent no strata until there is one).
    m.strata = { [s.kind]: s.column };
    // Combined strata and comparisons name T-score categories: kept aside while other strata are tried.
    const now = s.column ? `${s.kind}:${s.column}` : '';
    if (was !== now) {
      if (s.kind === 'tscore' && s.column && state.keptGroups) {
        Object.assign(m, state.keptGroups);
        state.keptGroups = null;
      } else if ((m.groups || m.compare) && !(s.kind === 'tscore' && s.column)) {
        state.keptGroups = {};
        if (m.groups) state.keptGroups.groups = m.groups;
        if (m.compare) state.keptGroups.compare = m.compare;
        delete m.groups;
        delete m.compare;
      }
      return true;
    }
    // The kind follows the column when chosen with it.
    return idx === 'column';
  }
  if (role === 'followup') {
    const fu = followupOf(m);
    if (idx === 'kind') {
      // A length keeps its column when only its unit changes.
      if (LENGTH_UNITS.includes(value)) m.followup = { [value]: fu.column };
      else if (value === 'dates') m.followup = { start: fu.start, end: fu.end };
      else delete m.followup;
      return true;
    }
    if (LENGTH_UNITS.includes(fu.kind)) m.followup = { [fu.kind]: value };
    else m.followup = { start: idx === 'start' ? value : fu.start, end: idx === 'end' ? value : fu.end };
    return true;
  }
  if (role === 'covariates') {
    const col = ctl.dataset.column;
    const cov = arr(m.covariates).filter((c) => c !== col);
    if (ctl.checked) cov.push(col);
    // Kept in the file's column order.
    const order = (c) => {
      const i = state.headers.indexOf(c);
      return i < 0 ? Infinity : i;
    };
    cov.sort((a, b) => order(a) - order(b));
    if (cov.length) m.covariates = cov;
    else delete m.covariates;
    refreshCategories();
    return false;
  }
  const list = arr(m[role]);
  const item = list[Number(idx)];
  if (!item) return false;
  if (role === 'paired' && prop === 'threshold') {
    const x = Number(String(value).replace(',', '.'));
    if (value === '' || !Number.isFinite(x)) delete item.threshold;
    else item.threshold = x;
    return false;
  }
  if (role === 'paired' && prop === 'better') {
    if (value === 'higher') item.better = 'higher';
    else delete item.better;
    return false;
  }
  if (role === 'binary' && (prop === 'yes_rule' || prop === 'yes_value' || prop === 'cut_off')) return applyYesControl(item, prop, value, ctl);
  if (role === 'events' && prop === 'timing') {
    delete item.time;
    delete item.date;
    if (value === 'time') item.time = '';
    if (value === 'date') item.date = '';
    return true;
  }
  if (role === 'events' && prop === 'event_value') {
    if (value.trim()) item.event_value = value.trim();
    else delete item.event_value;
    return false;
  }
  if (role === 'compare') {
    item[Number(prop)] = value;
    return true;
  }
  const before = item[prop];
  item[prop] = value;
  // A column chosen for an unnamed outcome names it (the name stays editable).
  if (prop !== 'name' && !item.name && value && (prop === 'before' || prop === 'column')) item.name = suggestName(value);
  // Completing or emptying a row changes its note.
  return !before !== !value || prop === 'before' || prop === 'column';
}

/** Headers of T-score columns. */
const TSCORE_HEADER = /t[\s_-]?score|dexa|\bbmd\b|骨密度|t\s*值/i;

/** "VAS baseline" → "VAS"; "Pain (pre-op)" → "Pain". */
function suggestName(column) {
  const name = column
    .replace(/[\s_-]*[([]?\b(baseline|before|pre[\s_-]*(op|operative|treatment)?|at entry|entry|initial|t0)\b[)\]]?[\s_-]*/gi, ' ')
    .replace(/(术前|基线|治疗前)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return name || column;
}

function onMappingChange(ctl, delay) {
  const redraw = applyControl(ctl);
  state.mappingSource = 'edited';
  if (redraw) renderMappingPanel();
  else renderMappingState();
  renderDetected();
  scheduleAnalysis(delay);
}

els.form.addEventListener('change', (e) => {
  const ctl = e.target;
  if (!ctl.dataset || !ctl.dataset.key) return;
  // Text and number fields are handled as they are typed in.
  if (ctl.tagName === 'INPUT' && (ctl.type === 'text' || ctl.type === 'number')) return;
  onMappingChange(ctl, 0);
});
els.form.addEventListener('input', (e) => {
  const ctl = e.target;
  if (!ctl.dataset || !ctl.dataset.key) return;
  if (ctl.tagName !== 'INPUT' || (ctl.type !== 'text' && ctl.type !== 'number')) return;
  onMappingChange(ctl, 500);
});
els.form.addEventListener('submit', (e) => e.preventDefault());
els.form.addEventListener('click', (e) => {
  const btn = e.target.closest('button');
  if (!btn) return;
  const m = (state.mapping = state.mapping || {});
  if (btn.dataset.add) {
    const role = btn.dataset.add;
    const list = arr(m[role]).slice();
    if (role === 'paired') list.push({ name: '', before: '', after: '' });
    else if (role === 'compare') list.push(['', '']);
    else if (role === 'binary') list.push({ name: '', column: '' });
    else list.push({ name: '', column: '' });
    m[role] = list;
    state.mappingSource = 'edited';
    renderMappingPanel();
    // Focus goes to the new row's first column choice.
    const fieldKey = role === 'paired' ? 'before' : role === 'compare' ? '0' : 'column';
    const target = els.form.querySelector(`[data-key="${role}.${list.length - 1}.${fieldKey}"]`);
    if (target) target.focus();
    renderMappingState();
    return;
  }
  if (btn.dataset.remove) {
    const [role, idx] = btn.dataset.remove.split('.');
    const list = arr(m[role]).slice();
    list.splice(Number(idx), 1);
    if (list.length) m[role] = list;
    else delete m[role];
    state.mappingSource = 'edited';
    renderMappingPanel();
    const add = els.form.querySelector(`[data-add="${role}"]`);
    if (add) add.focus();
    scheduleAnalysis(0);
  }
});

els.mappingToggle.addEventListener('click', () => setMappingOpen(els.mappingBody.hidden));

/**
 * Reads the file again (another sheet, or another encoding) and analyses it under the roles guessed anew, the
 * mapping made by `mapping` from that guess: headers read otherwise are other names.
 */
async function reinspect(sheet, mapping) {
  const op = ++opSeq;
  if (pending.size) restartWorker();
  const big = state.file.size > PROGRESS_BYTES;
  setBusy(true, { progress: big });
  setStatus('inspecting', { name: fileLabel });
  const inspected = await inspectFile(sheet, readProgress(op, big));
  if (op !== opSeq) return;
  if (inspected.error) {
    setBusy(false);
    hideResults();
    showError('err_title', inspected.error, true);
    setStatus('failed', { name: fileLabel });
    return;
  }
  state.mapping = mapping({ ...(inspected.guess || {}) });
  state.mappingSource = 'guessed';
  return op;
}

els.sheet.addEventListener('change', async () => {
  const sheet = els.sheet.value;
  const op = await reinspect(sheet, (m) => ({ ...m, sheet }));
  if (op === undefined) return;
  renderMappingPanel();
  await analyse({ op, fromPanel: true });
});

els.encoding.addEventListener('change', async () => {
  state.encoding = els.encoding.value || null;
  // The encoding kept in the mapping.
  const op = await reinspect(null, (m) => {
    if (state.encoding) m.encoding = state.encoding;
    else delete m.encoding;
    return m;
  });
  if (op === undefined) return;
  state.keptGroups = null;
  renderMappingPanel();
  await analyse({ op, fromPanel: true });
});

els.saveMapping.addEventListener('click', () => {
  const m = state.mapping ? cleanMapping(state.mapping) : {};
  const base = state.file ? fileStem(state.file.name) : 'cohort';
  download(`${base}.mapping.json`, [`${JSON.stringify(m, null, 2)}\n`], 'application/json');
});

els.reguess.addEventListener('click', async () => {
  if (!state.file) return;
  const op = ++opSeq;
  if (pending.size) restartWorker();
  const inspected = await inspectFile(state.sheet);
  if (op !== opSeq) return;
  state.mapping = inspected.guess ? { ...inspected.guess } : null;
  if (state.mapping && state.sheet && state.sheets.length > 1) state.mapping.sheet = state.sheet;
  state.mappingSource = 'guessed';
  state.keptGroups = null;
  renderMappingPanel();
  await analyse({ op, fromPanel: true });
});

els.loadMapping.addEventListener('click', () => els.mappingFile.click());
els.mappingFile.addEventListener('change', async () => {
  const file = els.mappingFile.files && els.mappingFile.files[0];
  els.mappingFile.value = '';
  if (!file) return;
  const name = file.name || 'mapping.json';
  errorNearMapping = true;
  let parsed;
  try {
    parsed = JSON.parse(await file.text());
  } catch (e) {
    showError('err_title_mapping', t('err_not_json', { name, msg: plainMessage(e) }));
    return;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    showError('err_title_mapping', t('err_not_mapping', { name }));
    return;
  }
  state.mapping = parsed;
  // The file is read in the encoding the mapping names, or the one detected (the worker reads it again).
  state.encoding = typeof parsed.encoding === 'string' && parsed.encoding ? parsed.encoding : null;
  state.mappingSource = 'loaded';
  state.mappingName = name;
  state.keptGroups = null;
  renderMappingPanel();
  if (state.file) await analyse({ fromPanel: true });
  else setStatus('mapping_loaded_status', { name });
});

// ================================================================ results

function hideResults() {
  els.results.hidden = true;
  els.results.setAttribute('aria-busy', 'false');
  state.shown = null;
  renderSeq++;
  delete els.results.dataset.rendering;
}

let renderSeq = 0;

/** The strata the comparisons of the mapping panel were offered from (see `compareChoices`). */
let comparedFrom = '';

async function showResults(result, ms, op, charts = null) {
  state.shown = { result, charts, fileId: state.file.id, tables: [], methods: null, resultsText: null, tablesLang: null, ms };
  // A new stratification brings new strata to compare: the panel offers them.
  const choices = JSON.stringify(compareChoices(state.mapping || {}));
  if (choices !== comparedFrom) {
    comparedFrom = choices;
    renderMappingPanel();
  }
  retranslateTables();
  if (op !== opSeq) return;
  await renderResults(op);
}

/** Tables and methods in the current language: the analysis brought both languages. */
function retranslateTables() {
  const shown = state.shown;
  if (!shown || shown.tablesLang === lang) return;
  const texts = (shown.result.by_lang || {})[lang] || {};
  shown.tables = arr(texts.tables);
  shown.methods = texts.methods;
  shown.resultsText = texts.results;
  shown.tablesLang = lang;
}

async function renderResults(op = opSeq) {
  const shown = state.shown;
  if (!shown) return;
  const seq = ++renderSeq;
  const { result } = shown;
  const report = result.report;
  // Set while tables and charts are still being put in (tests and tools wait for it to go).
  els.results.dataset.rendering = 'true';

  renderFacts();
  renderFlow(report);
  renderDiagnostics(result.diagnostics, report.excluded, result.excluded_unnamed);
  if (report.software && typeof report.software.version === 'string') {
    els.version.textContent = `${report.software.name || 'cohortcalc'} ${report.software.version}`;
  }
  const methods = cellText(shown.methods);
  els.methodsText.textContent = methods ?? '';
  $('methods-block').hidden = methods === null;
  const resultsText = cellText(shown.resultsText);
  els.resultsText.textContent = resultsText ?? '';
  $('results-text-block').hidden = resultsText === null;

  // Tables: the first few at once, the rest (and long ones) a slice at a time, so the page never stalls.
  els.tables.replaceChildren();
  els.charts.replaceChildren();
  els.toc.replaceChildren();
  els.results.hidden = false;
  tableSeq = 0;
  // The charts' places first (their figures, empty): each is drawn when it comes into view, and the
  // others one per task once the tables are painted (a page of results is many screens long: drawing
  // every chart before the first paint held it up by a tenth of a second).
  const canvases = await layoutCharts(report, seq);
  if (seq !== renderSeq || op !== opSeq) return;
  for (const tbl of shown.tables) {
    const block = renderTable(tbl);
    els.tables.append(block.node);
    await block.fill(() => seq === renderSeq);
    if (seq !== renderSeq || op !== opSeq) return;
  }
  renderToc();
  // Every figure is on the page; `data-rendering` goes when the last chart is drawn (tools time the two
  // apart).
  drawCharts(canvases, seq);
}

/** Draws `canvases`: those in view (or nearly) at once, the others one per task after the next paint; then the rendering is over. */
function drawCharts(canvases, seq) {
  const undrawn = (c) => c.isConnected && !c.dataset.drawnWidth;
  const watch = new IntersectionObserver(
    (entries) => {
      for (const e of entries) if (e.isIntersecting && undrawn(e.target) && seq === renderSeq) drawChart(e.target);
    },
    { rootMargin: '100% 0px' },
  );
  for (const c of canvases) watch.observe(c);
  (async () => {
    // The results in view are painted first.
    await afterPaint();
    for (const c of canvases) {
      await nextTurn();
      if (seq !== renderSeq) break;
      if (undrawn(c)) await drawChart(c);
    }
    watch.disconnect();
    if (seq === renderSeq) delete els.results.dataset.rendering;
  })();
}

function renderFacts() {
  els.factFile.textContent = fileLabel();
  const r = state.shown.result.report;
  els.factRead.textContent = count(r.rows_read);
  els.factIncluded.textContent = count(r.rows_included);
  els.factExcluded.textContent = count(r.rows_read - r.rows_included);
  let m;
  if (state.mappingSource === 'demo') m = t('mf_demo');
  else if (state.mappingSource === 'loaded') m = t('mf_loaded', { name: state.mappingName });
  else if (state.mappingSource === 'edited') m = t('mf_edited');
  else m = t('mf_guessed');
  els.factMapping.textContent = m;
  els.factMapping.classList.toggle('guessed', state.mappingSource === 'guessed');
  const date = new Date().toISOString().slice(0, 10);
  els.printTitle.textContent = t('print_title', { name: fileLabel(), date });
}

/** Rows read → excluded (by reason) → included → strata; and usable data per outcome. */
function renderFlow(report) {
  const box = (label, value, extra) =>
    el('div', { class: 'flow-box' }, el('span', { class: 'flow-label', text: label }), el('span', { class: 'flow-value', text: value }), extra || null);
  // By reason, as the report's flow has them (a file can have a million excluded rows: not row by row).
  const groups = arr(report.flow && report.flow.excluded).filter((g) => g && Number.isFinite(g.n));
  const excludedN = groups.reduce((sum, g) => sum + g.n, 0);
  const byReason = new Map();
  for (const g of groups) {
    const reason = reasonText(g.reason) ?? '—';
    const prev = byReason.get(reason) || { n: 0, rows: [] };
    // A reason shown for rows of several columns: their first rows in order, as the rows are numbered.
    const rows = prev.rows.concat(arr(g.rows).slice(0, 12)).sort((a, b) => a - b).slice(0, 12);
    byReason.set(reason, { n: prev.n + g.n, rows });
  }
  let reasons;
  if (excludedN === 0) reasons = el('p', { class: 'flow-reason', text: t('flow_none_excluded') });
  else {
    reasons = el('ul', { class: 'flow-reasons' });
    for (const [reason, { n, rows }] of byReason) {
      const shownRows = rows.slice(0, 12).map(count).join(', ');
      const more = n > 12 ? ` ${t('flow_more', { n: n - 12 })}` : '';
      reasons.append(el('li', { text: `${reason}: ${count(n)} (${t('flow_rows', { list: shownRows })}${more})` }));
    }
  }
  const strata = arr(report.strata).filter((s) => s && s.kind !== 'overall');
  const strataList = el('ul', { class: 'flow-strata' });
  const who = !!(report.mapping && report.mapping.strata && typeof report.mapping.strata.tscore === 'string');
  for (const s of strata) {
    strataList.append(el('li', {}, el('span', { text: stratumName(s.name, who) }), el('strong', { text: count(s.n) })));
  }
  const arrow = () => el('span', { class: 'flow-arrow', 'aria-hidden': 'true', text: '→' });
  const row = el(
    'div',
    { class: 'flow-row' },
    box(t('flow_read'), count(report.rows_read)),
    arrow(),
    box(t('flow_excluded'), count(excludedN), reasons),
    arrow(),
    box(t('flow_included'), count(report.rows_included)),
  );
  if (strata.length) {
    row.append(arrow(), box(t('flow_strata'), '', strataList));
  }
  const overall = arr(report.strata).find((s) => s && s.kind === 'overall') || arr(report.strata)[0];
  const outcomes = el('ul', { class: 'flow-outcomes' });
  if (overall) {
    for (const [name, p] of entriesOf(overall.paired)) outcomes.append(el('li', { text: t('flow_pairs', { name, n: p.pairs, missing: p.missing }) }));
    for (const [name, b] of entriesOf(overall.binary)) outcomes.append(el('li', { text: t('flow_binary', { name, n: b.n, missing: b.missing }) }));
    for (const [name, e] of entriesOf(overall.events)) outcomes.append(el('li', { text: t('flow_event', { name, n: e.n, missing: e.missing }) }));
    if (overall.followup_months && Number.isFinite(overall.followup_months.n)) {
      outcomes.append(el('li', { text: t('flow_followup', { n: overall.followup_months.n }) }));
    }
  }
  els.flowBody.replaceChildren(row);
  if (outcomes.childElementCount) els.flowBody.append(el('p', { class: 'flow-sub', text: t('flow_outcomes') }), outcomes);
}

/** The built-in strata (WHO categories from a T-score) in the page's language, as the charts name them. */
const WHO_ZH = { Overall: '总体', Normal: '正常', Osteopenia: '骨量减少', Osteoporosis: '骨质疏松', Unknown: '未知', 'Reduced bone density': '骨密度降低' };
function stratumName(name, who) {
  const text = cellText(name) ?? '—';
  return lang === 'zh' && (who || text === 'Overall') && WHO_ZH[text] ? WHO_ZH[text] : text;
}

/** Why a row was left out (a reason of the report's `excluded`), in the page's language as the core gives it. */
function reasonText(reason) {
  const texts = state.shown && state.shown.result && (state.shown.result.by_lang || {})[lang];
  const shown = texts && texts.reasons && typeof reason === 'string' ? texts.reasons[reason] : undefined;
  return cellText(typeof shown === 'string' ? shown : reason);
}

function diagnosticText(d) {
  const hasRow = typeof d.row === 'number' && Number.isFinite(d.row);
  const hasCol = typeof d.column === 'string' && d.column !== '';
  let where = '';
  if (hasRow && hasCol) where = t('row_col', { row: d.row, col: d.column });
  else if (hasRow) where = t('row_only', { row: d.row });
  else if (hasCol) where = t('col_only', { col: d.column });
  return where + (cellText(lang === 'zh' && d.message_zh ? d.message_zh : d.message) ?? '');
}

function renderDiagnostics(diagnostics, excluded, unnamed) {
  // Only the items shown are put in words (a file can have a million excluded rows); the rest are counted.
  const items = [];
  let total = 0;
  let warnings = 0;
  const add = (sev, make) => {
    total++;
    if (sev === 'warning') warnings++;
    if (items.length < DIAGNOSTICS_SHOWN) items.push({ sev, ...make() });
  };
  for (const d of arr(diagnostics)) {
    const sev = d && d.severity === 'warning' ? 'warning' : 'info';
    add(sev, () => ({ label: t(sev === 'warning' ? 'diag_warning_label' : 'diag_note_label'), text: diagnosticText(d || {}) }));
  }
  // Excluded rows that no diagnostic already names (the list may be cut: `unnamed` counts them all).
  const named = new Set(arr(diagnostics).filter((d) => d && typeof d.row === 'number').map((d) => d.row));
  let listed = 0;
  for (const x of arr(excluded)) {
    if (named.has(x.row)) continue;
    listed++;
    add('warning', () => ({ label: t('diag_excluded_label'), text: t('row_only', { row: x.row }) + (reasonText(x.reason) ?? '') }));
  }
  const rest = Number.isFinite(unnamed) ? unnamed - listed : 0;
  if (rest > 0) {
    total += rest;
    warnings += rest;
  }
  const list = items.map((it) => el('li', { class: it.sev }, el('span', { class: 'sev', text: it.label }), it.text));
  if (total > items.length) list.push(el('li', { class: 'more', text: t('diag_more', { n: total - items.length }) }));
  els.diagnosticsList.replaceChildren(...list);
  const notes = total - warnings;
  const parts = [];
  if (warnings) parts.push(warnings === 1 ? t('diag_warning') : t('diag_warnings', { n: warnings }));
  if (notes) parts.push(notes === 1 ? t('diag_note') : t('diag_notes', { n: notes }));
  els.diagnosticsSummary.textContent = t('diag_summary', { parts: parts.join(lang === 'zh' ? '，' : ', ') });
  const wasHidden = els.diagnostics.hidden;
  els.diagnostics.hidden = total === 0;
  if (wasHidden) {
    const openMax = state.mappingSource === 'guessed' ? 2 * DIAGNOSTICS_OPEN_MAX : DIAGNOSTICS_OPEN_MAX;
    els.diagnostics.open = total > 0 && total <= openMax;
  }
}

function renderToc() {
  const links = [el('a', { href: '#flow', text: t('toc_flow') })];
  for (const tbl of els.tables.querySelectorAll('table')) {
    links.push(el('a', { href: `#${tbl.id}`, text: tbl.querySelector('caption')?.textContent || t('table_fallback') }));
  }
  if (!els.chartsBlock.hidden) links.push(el('a', { href: '#charts-block', text: t('toc_figures') }));
  if (!$('results-text-block').hidden) links.push(el('a', { href: '#results-text-block', text: t('toc_results_text') }));
  if (!$('methods-block').hidden) links.push(el('a', { href: '#methods-block', text: t('toc_methods') }));
  els.toc.replaceChildren(...links);
}

// ---------------------------------------------------------------- tables

let tableSeq = 0;

/** A cell that starts with a figure: "7.04 ± 1.26", "< 0.001", "−2.63 (…)", "79.1", "—". */
const FIGURE = /^(—|[<>≤≥]\s?)?[−+-]?\d|^—$/;

/** Which columns hold figures (right-aligned, kept whole) rather than words (left-aligned, wrapped). */
function numericColumns(tbl) {
  const n = arr(tbl.columns).length;
  const figures = new Array(n).fill(0);
  const filled = new Array(n).fill(0);
  for (const row of arr(tbl.rows).slice(0, 500)) {
    arr(row).forEach((cell, i) => {
      const text = cellText(cell);
      if (text === null || text === '—' || i >= n) return;
      filled[i]++;
      if (FIGURE.test(text.trim())) figures[i]++;
    });
  }
  return figures.map((f, i) => filled[i] === 0 || f / filled[i] >= 0.6);
}

/** Column headings break between words only (not at the hyphen of "t-test"). */
function fillHeaderCell(cell, text) {
  const glued = text.replace(/\s+=\s+/g, '\u00a0=\u00a0');
  glued
    .split(/[ \t\n]+/)
    .filter(Boolean)
    .forEach((word, k) => {
      if (k > 0) cell.append(' ');
      // Chinese may break between any two characters, as it is read.
      if (textWidth(word) > word.length) cell.append(word);
      else cell.append(el('span', { class: 'nb', text: word }));
    });
}

/**
 * A figure breaks only before its interval or spread ("7.00 [6.00, 8.00]"), never inside a number; a longer
 * part (a note after a p-value) breaks as text does. Long by its width: a Chinese character is as wide as two
 * Latin ones ("(Pearson 卡方检验；有期望频数小于 5)" kept whole made Table 1 wider than the page).
 */
function fillNumberCell(cell, text) {
  const m = /^(.*?\S)\s+([([±].*)$/.exec(text);
  const parts = m ? [m[1], m[2]] : [text];
  parts.forEach((part, k) => {
    if (k > 0) cell.append(' ');
    if (textWidth(part) > 24) cell.append(part);
    else cell.append(el('span', { class: 'nb', text: part }));
  });
}

/** Characters of `text`, a wide (CJK) character counted twice. */
function textWidth(text) {
  return text.length + (text.match(WIDE_CHARS) || []).length;
}
const WIDE_CHARS = /[\u3000-\u9fff\uff00-\uffef]/g;

/** The table element (caption and head) at once; `fill` adds the rows a slice at a time. */
function renderTable(tbl) {
  const id = `table-${++tableSeq}`;
  const title = cellText(tbl.title) ?? t('table_fallback');
  const columns = arr(tbl.columns).map((c) => cellText(c) ?? '');
  const rows = arr(tbl.rows);
  const scroll = el('div', {
    class: columns.length > 8 ? 'table-scroll wide' : 'table-scroll',
    role: 'region',
    'aria-labelledby': `${id}-caption`,
    tabindex: '0',
  });
  const table = el('table', { id }, el('caption', { id: `${id}-caption`, text: title }));
  const numeric = numericColumns(tbl);
  const hr = el('tr');
  columns.forEach((c, i) => {
    const th = el('th', { scope: 'col' });
    if (i > 0 && !numeric[i]) th.classList.add('text');
    fillHeaderCell(th, c);
    hr.append(th);
  });
  table.append(el('thead', {}, hr));
  const tbody = el('tbody');
  table.append(tbody);
  scroll.append(table);

  const copy = el('button', {
    type: 'button',
    class: 'button small quiet copy-table',
    'aria-label': t('copy_table_aria', { title }),
    text: t('copy_table'),
  });
  copy.addEventListener('click', () => copyTable(copy, title, columns, rows));
  // Printed on a landscape page when it has many columns.
  const node = el('div', { class: columns.length >= 8 ? 'table-block landscape' : 'table-block' }, copy, scroll);
  // What a reader must know of the figures stands under them, not only among the notes.
  for (const note of arr(tbl.notes)) {
    const text = cellText(note);
    if (text) node.append(el('p', { class: 'table-note', role: 'note', text }));
  }

  /** Puts in rows `from` to `to` (exclusive), a slice at a time. */
  const appendRows = async (from, to, alive) => {
    for (let start = from; start < to; start += ROWS_PER_SLICE) {
      if (start > from) {
        await nextTurn();
        if (!alive()) return;
      }
      const frag = document.createDocumentFragment();
      for (const row of rows.slice(start, Math.min(start + ROWS_PER_SLICE, to))) {
        const tr = el('tr');
        for (let i = 0; i < Math.max(columns.length, arr(row).length); i++) {
          const cell = el(i === 0 ? 'th' : 'td');
          if (i === 0) cell.scope = 'row';
          const text = cellText(arr(row)[i]);
          if (text === null) {
            cell.textContent = '—';
            cell.classList.add('na');
            cell.title = t('na');
            if (i > 0 && !numeric[i]) cell.classList.add('text');
          } else if (i === 0) {
            cell.textContent = text.replace(/\s+([=±])\s+/g, '\u00a0$1\u00a0');
          } else if (numeric[i]) {
            fillNumberCell(cell, text);
          } else {
            cell.textContent = text;
            cell.classList.add('text');
          }
          tr.append(cell);
        }
        frag.append(tr);
      }
      tbody.append(frag);
    }
  };
  // A long table (the Kaplan–Meier table at every event time of a large cohort) shows its first rows, and
  // the rest when asked: the page stays quick and short; Copy and the exports have every row.
  const fill = async (alive) => {
    const preview = previewRanges(rows);
    for (const [from, to] of preview) {
      await appendRows(from, to, alive);
      if (!alive()) return;
    }
    const k = preview.reduce((sum, [from, to]) => sum + to - from, 0);
    if (k === rows.length) return;
    const n = count(rows.length);
    const more = el('button', { type: 'button', class: 'button small show-rows', text: t('show_all_rows', { n }) });
    const note = el('p', { class: 'rows-note', text: t(preview.length > 1 ? 'rows_shown_each' : 'rows_shown', { k, n }) });
    more.addEventListener('click', async () => {
      more.disabled = true;
      tbody.replaceChildren();
      await appendRows(0, rows.length, () => node.isConnected);
      note.remove();
      more.remove();
      scroll.focus();
    });
    node.append(el('div', { class: 'rows-more' }, note, more));
  };

  return { node, fill };
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** HTML (for Word) and tab-separated text (for Excel) of one table; formula-like cells neutralised. */
function tableClipboard(title, columns, rows) {
  const cell = (v) => neutralise(cellText(v) ?? '—');
  const tsvCell = (v) => cell(v).replace(/[\t\r\n]+/g, ' ');
  const tsv = [tsvCell(title), columns.map(tsvCell).join('\t'), ...rows.map((r) => arr(r).map(tsvCell).join('\t'))].join('\r\n');
  const td = 'border:1px solid #999;padding:2pt 5pt;';
  const html =
    `<table style="border-collapse:collapse;font-family:Arial,sans-serif;font-size:10pt">` +
    `<caption style="text-align:left;font-weight:bold;padding-bottom:4pt">${escapeHtml(cell(title))}</caption>` +
    `<thead><tr>${columns.map((c) => `<th scope="col" style="${td}text-align:left;background:#eee">${escapeHtml(cell(c))}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows
      .map(
        (r) =>
          `<tr>${arr(r)
            .map((v, i) => (i === 0 ? `<th scope="row" style="${td}text-align:left">${escapeHtml(cell(v))}</th>` : `<td style="${td}text-align:right">${escapeHtml(cell(v))}</td>`))
            .join('')}</tr>`,
      )
      .join('')}</tbody></table>`;
  return { html, tsv };
}

async function copyTable(button, title, columns, rows) {
  const { html, tsv } = tableClipboard(title, columns, rows);
  let ok = false;
  try {
    if (typeof ClipboardItem === 'function' && navigator.clipboard && navigator.clipboard.write) {
      await navigator.clipboard.write([
        new ClipboardItem({
          'text/html': new Blob([html], { type: 'text/html' }),
          'text/plain': new Blob([tsv], { type: 'text/plain' }),
        }),
      ]);
      ok = true;
    }
  } catch {
    ok = false;
  }
  if (!ok) ok = await copyText(tsv);
  flashButton(button, ok);
  announce(ok ? t('copied_announce', { title }) : t('copy_failed'));
}

async function copyText(text) {
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the old way.
  }
  try {
    const area = el('textarea', { class: 'visually-hidden', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

function flashButton(button, ok) {
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.textContent = ok ? `✓ ${t('copied')}` : '✕';
  button.classList.toggle('done', ok);
  setTimeout(() => {
    button.textContent = button.dataset.label;
    button.classList.remove('done');
  }, 2000);
}

els.copyMethods.addEventListener('click', async () => {
  const ok = await copyText(els.methodsText.textContent);
  flashButton(els.copyMethods, ok);
  announce(ok ? t('methods_copied') : t('copy_failed'));
});
els.copyResultsText.addEventListener('click', async () => {
  const ok = await copyText(els.resultsText.textContent);
  flashButton(els.copyResultsText, ok);
  announce(ok ? t('results_text_copied') : t('copy_failed'));
});

// ---------------------------------------------------------------- charts

/** Chart kinds in the order a paper shows them; `per` says what each is drawn for. */
const CHART_KINDS = [
  { kind: 'flow_diagram', per: 'once', aspect: 4 / 3 },
  { kind: 'paired_means', per: 'paired', aspect: 5 / 2 },
  { kind: 'paired_lines', per: 'paired', aspect: 5 / 2 },
  { kind: 'change_distribution', per: 'paired', aspect: 5 / 2 },
  { kind: 'responders', per: 'paired', aspect: 2 },
  { kind: 'kaplan_meier', per: 'events', aspect: 16 / 9 },
  { kind: 'tscore_histogram', per: 'tscore', aspect: 2 },
];

/** Which figures to draw, in the order a paper shows them: the core's list, grouped by kind. */
async function chartPlan() {
  // The analysis brought the list in both languages; the worker is asked only if it did not.
  let list = state.shown && state.shown.charts && state.shown.charts[lang];
  if (typeof list !== 'string') {
    const answer = await askView('charts', { lang });
    list = answer && answer.result;
  }
  const plan = [];
  for (const item of arr(list && JSON.parse(list))) {
    const kind = String((item && item.kind) || '');
    const known = CHART_KINDS.find((k) => k.kind === kind) || { kind, per: 'once', aspect: 2 };
    let entry = plan.find((p) => p.kind === kind);
    if (!entry) {
      entry = { ...known, title: cellText(item.title), outcomes: [] };
      plan.push(entry);
    }
    entry.outcomes.push(cellText(item.outcome) ?? '');
  }
  return plan;
}

/**
 * Draws `kind` of `outcome` on `canvas`, sized `width` × `height` pixels: the worker draws the chart
 * as a display list (see the core's `chart::DisplayList`), replayed here in one go (the canvas is
 * resized only then, so a redraw does not flicker). False when the worker had no analysis.
 */
async function drawOn(canvas, kind, outcome, width, height) {
  const answer = await askView('draw', { kind, outcome, lang, width, height });
  if (!answer) return false;
  const ops = JSON.parse(answer.result);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  replay(canvas.getContext('2d'), ops, width, height);
  return true;
}

/** A horizontal or vertical line of odd width sits on pixel centres (crisp, not smeared over two). */
function crisp(a, b, width) {
  if (width % 2 === 0) return [a, b];
  const [x0, y0] = a;
  const [x1, y1] = b;
  const dx = x0 === x1 ? 0.5 : 0;
  const dy = y0 === y1 ? 0.5 : 0;
  return [
    [x0 - dx, y0 - dy],
    [x1 - dx, y1 - dy],
  ];
}

/** Replays a display list on a 2D context (cleared first). */
function replay(ctx, ops, width, height) {
  ctx.clearRect(0, 0, width, height);
  for (const o of arr(ops)) {
    ctx.lineWidth = o.width || 1;
    ctx.strokeStyle = o.color;
    ctx.fillStyle = o.color;
    if (o.op === 'path') {
      const pts = o.points.length === 2 ? crisp(o.points[0], o.points[1], ctx.lineWidth) : o.points;
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    } else if (o.op === 'rect') {
      const [x0, y0] = o.from;
      const [x1, y1] = o.to;
      if (o.fill) ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      else ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    } else if (o.op === 'circle') {
      ctx.beginPath();
      ctx.arc(o.at[0], o.at[1], o.r, 0, 2 * Math.PI);
      if (o.fill) ctx.fill();
      else ctx.stroke();
    } else if (o.op === 'polygon') {
      ctx.beginPath();
      o.points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath();
      ctx.fill();
    } else if (o.op === 'text') {
      ctx.save();
      ctx.translate(o.at[0], o.at[1]);
      if (o.vertical) ctx.rotate(-Math.PI / 2);
      ctx.font = `${o.bold ? 'bold ' : ''}${o.px}px sans-serif`;
      ctx.textAlign = o.align;
      ctx.textBaseline = o.baseline;
      ctx.fillText(o.text, 0, 0);
      ctx.restore();
    }
  }
}

/** Sizes the canvas for the device pixel ratio and draws its chart. */
async function drawChart(canvas) {
  const fig = canvas.closest('.chart');
  const note = fig.querySelector('.chart-note');
  if (!state.shown) return;
  const cssW = Math.max(300, Math.round(canvas.clientWidth || 720));
  const cssH = Math.max(200, Math.round(canvas.clientHeight || 360));
  const dpr = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
  const w = Math.round(cssW * dpr);
  const h = Math.round(cssH * dpr);
  canvas.dataset.drawnWidth = String(cssW);
  // The build's copy of the demo is shown: the worker draws once it has been asked for the demo.
  if (demoRequested) await demoRequested;
  try {
    if (!(await drawOn(canvas, canvas.dataset.kind, canvas.dataset.outcome, w, h))) return;
    note.hidden = true;
    fig.classList.remove('failed');
  } catch (e) {
    note.textContent = t('chart_failed', { msg: plainMessage(e) });
    note.hidden = false;
    fig.classList.add('failed');
  }
}

/** The caption under a figure, or '' for a kind this page has no words for. */
function caption(kind, outcome, report) {
  const binary = arr(report.mapping && report.mapping.binary).some((b) => b && b.name === outcome);
  const key = kind === 'responders' && binary ? 'cap_responders_binary' : `cap_${kind}`;
  return STRINGS.en[key] ? t(key, { name: outcome }) : '';
}

/** Puts in the charts' figures (empty canvases, titles, captions, download buttons); returns the canvases. */
async function layoutCharts(report, seq) {
  els.charts.replaceChildren();
  let plan = [];
  try {
    plan = await chartPlan();
  } catch {
    plan = [];
  }
  if (seq !== renderSeq) return [];
  els.chartsBlock.hidden = plan.length === 0;
  const canvases = [];
  for (const k of plan) {
    const kindTitle = STRINGS.en[`kind_${k.kind}`] ? t(`kind_${k.kind}`) : k.title || k.kind;
    const section = el('section', { class: 'chart-kind', 'aria-label': kindTitle }, el('h4', { text: kindTitle }));
    for (const outcome of k.outcomes) {
      const title = outcome ? `${outcome}: ${kindTitle}` : kindTitle;
      const canvas = el('canvas', {
        role: 'img',
        'aria-label': t('chart_alt', { title }),
        dataset: { kind: k.kind, outcome },
        style: `aspect-ratio: ${k.aspect}`,
        text: t('chart_alt', { title }),
      });
      const png = el('button', { type: 'button', class: 'button small quiet', 'aria-label': t('chart_download', { title, fmt: 'PNG' }), text: `↓ ${t('chart_png')}` });
      png.addEventListener('click', () => downloadPng(k, outcome));
      const tools = el('div', { class: 'chart-tools' }, png);
      const svg = el('button', { type: 'button', class: 'button small quiet', 'aria-label': t('chart_download', { title, fmt: 'SVG' }), text: `↓ ${t('chart_svg')}` });
      svg.addEventListener('click', () => downloadSvg(k, outcome));
      tools.append(svg);
      const fig = el(
        'figure',
        { class: 'chart' },
        el('div', { class: 'chart-head' }, outcome ? el('p', { class: 'chart-outcome', text: outcome }) : el('span'), tools),
        canvas,
        el('p', { class: 'chart-note', hidden: true }),
        caption(k.kind, outcome, report) ? el('figcaption', { text: caption(k.kind, outcome, report) }) : null,
      );
      section.append(fig);
      canvases.push(canvas);
    }
    els.charts.append(section);
  }
  return canvases;
}

/** The chart drawn on a canvas of its own at print resolution, saved with canvas.toBlob. */
async function downloadPng(k, outcome) {
  const canvas = document.createElement('canvas');
  const name = `${fileStem(state.file && state.file.name)}-${k.kind}${outcome ? `-${fileStem(outcome)}` : ''}.png`;
  try {
    if (!(await drawOn(canvas, k.kind, outcome, 2000, Math.round(2000 / k.aspect)))) return;
  } catch (e) {
    announce(t('chart_failed', { msg: plainMessage(e) }));
    return;
  }
  canvas.toBlob((blob) => {
    if (blob) download(name, [blob], 'image/png');
  }, 'image/png');
}

async function downloadSvg(k, outcome) {
  const name = `${fileStem(state.file && state.file.name)}-${k.kind}${outcome ? `-${fileStem(outcome)}` : ''}.svg`;
  try {
    const answer = await askView('svg', { kind: k.kind, outcome, lang, width: 1200, height: Math.round(1200 / k.aspect) });
    if (answer) download(name, [answer.result], 'image/svg+xml');
  } catch (e) {
    announce(t('chart_failed', { msg: plainMessage(e) }));
  }
}

// Redraw the charts when their width changes (window resize, zoom) or the pixel ratio does.
let resizeTimer = 0;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const c of els.charts.querySelectorAll('canvas')) {
      if (String(Math.round(c.clientWidth)) !== c.dataset.drawnWidth) drawChart(c);
    }
  }, 120);
}).observe(els.results);
function watchPixelRatio() {
  matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener(
    'change',
    () => {
      for (const c of els.charts.querySelectorAll('canvas')) drawChart(c);
      watchPixelRatio();
    },
    { once: true },
  );
}
watchPixelRatio();

// ---------------------------------------------------------------- exports

/** Asks the worker for an export of the tables (`csv` or `xlsx`) in the shown language and downloads it. */
async function exportTables(type, suffix, mime, prefix = []) {
  if (!state.shown) return;
  let answer;
  try {
    answer = await askView(type, { lang: state.shown.tablesLang });
  } catch (e) {
    showError('err_title_show', plainMessage(e), true);
    return;
  }
  if (answer) download(`${fileStem(state.file.name)}-tables.${suffix}`, [...prefix, answer.result], mime);
}

// The byte-order mark makes Excel read the CSV as UTF-8 (Chinese headings, ±, −).
els.exportCsv.addEventListener('click', () => exportTables('csv', 'csv', 'text/csv;charset=utf-8', ['\uFEFF']));
els.exportXlsx.addEventListener('click', () =>
  exportTables('xlsx', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
);

els.exportJson.addEventListener('click', async () => {
  if (!state.shown) return;
  // The worker's: the page was sent the report with its lists of rows cut to a thousand.
  let answer;
  try {
    answer = await askView('report');
  } catch (e) {
    showError('err_title_show', plainMessage(e), true);
    return;
  }
  if (answer) download(`${fileStem(state.file.name)}-report.json`, [answer.result], 'application/json');
});

els.print.addEventListener('click', () => window.print());

// ================================================================ language switch

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const b of document.querySelectorAll('.lang')) b.setAttribute('aria-pressed', b.dataset.lang === lang ? 'true' : 'false');
  setMappingOpen(!els.mappingBody.hidden);
  els.statusText.textContent = t(statusMsg.key, statusMsg.vars);
  renderError();
}

async function switchLang(next) {
  if (next === lang || !STRINGS[next]) return;
  lang = next;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Not remembered; it still applies to this visit.
  }
  applyLang();
  clearTimeout(announceTimer);
  els.announce.textContent = '';
  if (state.file) renderMappingPanel();
  if (state.shown) {
    retranslateTables();
    await renderResults();
  }
}

for (const b of document.querySelectorAll('.lang')) b.addEventListener('click', () => switchLang(b.dataset.lang));

// ================================================================ input: picker, drop, demo

els.choose.addEventListener('click', (e) => {
  e.stopPropagation();
  els.file.click();
});
els.dropzone.addEventListener('click', (e) => {
  if (e.target === els.file || e.target === els.choose) return;
  els.file.click();
});
els.file.addEventListener('change', () => {
  const file = els.file.files && els.file.files[0];
  els.file.value = '';
  openFile(file);
});

// Drops are accepted anywhere on the page; the drop zone lights up while something is dragged over.
let dragDepth = 0;
const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
window.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  els.dropzone.classList.add('is-dragover');
});
window.addEventListener('dragover', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
  els.dropzone.classList.add('is-dragover');
});
window.addEventListener('dragleave', (e) => {
  if (!hasFiles(e)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) els.dropzone.classList.remove('is-dragover');
});
window.addEventListener('drop', (e) => {
  if (!e.dataTransfer) return;
  e.preventDefault();
  dragDepth = 0;
  els.dropzone.classList.remove('is-dragover');
  const files = Array.from(e.dataTransfer.files || []);
  if (files.length === 0) return;
  const first = files[0];
  const note = files.length > 1 ? () => t('dropped_many', { n: files.length, name: first.name }) : null;
  openFile(first, note);
});

els.loadDemo.addEventListener('click', () => openDemo());
els.cancel.addEventListener('click', cancel);
window.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && busy && !els.cancel.hidden) cancel();
});

// ================================================================ start: show the demo at once

applyLang();
setStatus('loading');
openDemo();
