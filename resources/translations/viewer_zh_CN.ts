<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BookmarkDialog</name>
    <message>
        <source>Edit Bookmark</source>
        <translation>编辑书签</translation>
    </message>
    <message>
        <source>Bookmark Passage</source>
        <translation>收藏段落</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>引文</translation>
    </message>
    <message>
        <source>Where the passage is</source>
        <translation>段落位置</translation>
    </message>
    <message>
        <source>Why this passage matters (optional; Shift+Enter: new line)</source>
        <translation>这段话为什么重要（可选；Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Separated by commas (optional)</source>
        <translation>用逗号分隔（可选）</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>标签(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>BookmarkService</name>
    <message>
        <source>Bookmarks are not available.</source>
        <translation>书签不可用。</translation>
    </message>
    <message>
        <source>Bookmarks could not be re-attached.</source>
        <translation>书签未能重新定位。</translation>
    </message>
    <message>
        <source>The bookmarks could not be read.</source>
        <translation>无法读取书签。</translation>
    </message>
    <message>
        <source>That could not be undone or redone.</source>
        <translation>无法撤销或重做该操作。</translation>
    </message>
</context>
<context>
    <name>BookmarkWorkflows</name>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>Select text in a paragraph first (or right-click a paragraph to bookmark all of it).</source>
        <translation>请先在段落中选中文字（或右键点击某一段，收藏整段）。</translation>
    </message>
    <message>
        <source>There is no text in the selection to bookmark.</source>
        <translation>所选内容中没有可收藏的文字。</translation>
    </message>
    <message>
        <source>Bookmarks are not available.</source>
        <translation>书签不可用。</translation>
    </message>
    <message>
        <source>The selection runs over several paragraphs; only its part in the first one is bookmarked.</source>
        <translation>所选内容跨越多个段落；只收藏第一段中的部分。</translation>
    </message>
    <message>
        <source>The bookmark could not be saved.</source>
        <translation>无法保存书签。</translation>
    </message>
    <message>
        <source>Add Bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <source>Bookmarked: %1 (Ctrl+4: bookmarks).</source>
        <translation>已收藏：%1（Ctrl+4：查看书签）。</translation>
    </message>
    <message>
        <source>This passage is already bookmarked; it is selected in the Bookmarks panel.</source>
        <translation>此段落已经收藏过；已在书签面板中选中它。</translation>
    </message>
    <message>
        <source>The passage of this bookmark is no longer in the archive; its quote and note are kept.</source>
        <translation>此书签所在的段落已不在资料库中；其引文和备注仍然保留。</translation>
    </message>
    <message>
        <source>Edit Bookmark</source>
        <translation>编辑书签</translation>
    </message>
    <message>
        <source>The bookmark could not be deleted.</source>
        <translation>无法删除书签。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n Bookmark(s)</source>
        <translation>
            <numerusform>删除 %n 个书签</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) deleted; Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>已删除 %n 个书签；按 Ctrl+Z 可恢复。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Bookmark Selection…</source>
        <translation>收藏所选内容(&amp;B)…</translation>
    </message>
    <message>
        <source>Bookmark This &amp;Paragraph…</source>
        <translation>收藏此段(&amp;P)…</translation>
    </message>
    <message>
        <source>Your bookmarks file was damaged and could not be read. It was kept as %1, and a new, empty bookmarks file was started.</source>
        <translation>书签文件已损坏，无法读取。原文件已保留为 %1，并已新建一个空的书签文件。</translation>
    </message>
    <message>
        <source>Unsaved changes found beside your bookmarks file were not written for it (from another copy of it?), so they were not applied. They were kept as %1; your bookmarks are as they were last saved.</source>
        <translation>书签文件旁有一份并非为它写入的未保存更改（可能来自它的另一个副本），因此没有应用。这些更改已保留为 %1；书签仍是上次保存时的样子。</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>CSV for spreadsheets (*.csv)</source>
        <translation>CSV，供电子表格使用 (*.csv)</translation>
    </message>
    <message>
        <source>JSON, complete, can be imported (*.json)</source>
        <translation>JSON，信息完整，可再导入 (*.json)</translation>
    </message>
    <message>
        <source>Export Bookmarks</source>
        <translation>导出书签</translation>
    </message>
    <message>
        <source>There are no bookmarks to export yet.</source>
        <translation>还没有可导出的书签。</translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) exported to %1.</source>
        <translation>
            <numerusform>已将 %n 个书签导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>The bookmarks could not be exported.</source>
        <translation>无法导出书签。</translation>
    </message>
    <message>
        <source>Import Bookmarks</source>
        <translation>导入书签</translation>
    </message>
    <message>
        <source>Bookmarks exported as JSON (*.json);;All files (*)</source>
        <translation>以 JSON 导出的书签 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The bookmarks could not be imported.</source>
        <translation>无法导入书签。</translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) imported</source>
        <translation>
            <numerusform>已导入 %n 个书签</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already kept</source>
        <translation>
            <numerusform>%n 个已存在</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not found in the archive</source>
        <translation>
            <numerusform>%n 个在资料库中找不到</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BookmarksModel</name>
    <message>
        <source>Note: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>Passage not found.</source>
        <translation>找不到该段落。</translation>
    </message>
    <message>
        <source>The passage of this bookmark is no longer in the archive. The bookmark is kept with its quote and note, and finds its passage again if the bulletin comes back.</source>
        <translation>此书签所在的段落已不在资料库中。书签连同引文和备注都会保留；公告重新导入后，书签会自动找回它的段落。</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <source>Closing</source>
        <translation>结尾</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>导语</translation>
    </message>
    <message>
        <source>headline</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>paragraph %1</source>
        <translation>第 %1 段</translation>
    </message>
    <message>
        <source>bulletin %1</source>
        <translation>公报 %1</translation>
    </message>
    <message>
        <source>%1 (passage not found in the archive)</source>
        <translation>%1（档案库中已找不到该段落）</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>Filter bookmarks…</source>
        <translation>筛选书签…</translation>
    </message>
    <message>
        <source>Filter bookmarks</source>
        <translation>筛选书签</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Show bookmarks with tag</source>
        <translation>按标签显示书签</translation>
    </message>
    <message>
        <source>Show only the bookmarks with one tag</source>
        <translation>只显示带有某个标签的书签</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>&amp;Open Passage</source>
        <translation>打开段落(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Edit Note and Tags…</source>
        <translation>编辑备注和标签(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Copy Quote with Citation</source>
        <translation>复制引文及出处(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>No bookmark matches this filter.</source>
        <translation>没有符合筛选条件的书签。</translation>
    </message>
    <message>
        <source>No bookmarks yet. Select text in a section and press Ctrl+D, or right-click a paragraph, to keep a passage with a note.</source>
        <translation>还没有书签。在正文中选中文字后按 Ctrl+D，或右键点击某一段，即可收藏段落并写下备注。</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
</context>
<context>
    <name>CitationCopy</name>
    <message>
        <source>Select text in a paragraph first, then copy it with its citation.</source>
        <extracomment>What QTextCursor.selectedText puts between paragraphs and lines.</extracomment>
        <translation>请先在段落中选中文字，再复制并附出处。</translation>
    </message>
    <message>
        <source>Copied with its citation: %1</source>
        <translation>已复制并附出处：%1</translation>
    </message>
</context>
<context>
    <name>DistrictTreeModel</name>
    <message numerus="yes">
        <source>%1, %n matches</source>
        <translation>
            <numerusform>%1，%n 处匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>&amp;Find:</source>
        <translation>查找(&amp;F)：</translation>
    </message>
    <message>
        <source>Find in this section</source>
        <translation>在本节中查找</translation>
    </message>
    <message>
        <source>Matches in this section</source>
        <translation>本节中的匹配</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>上一个匹配（Shift+Enter）</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>上一个匹配</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>下一个匹配（Enter）</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>下一个匹配</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation>关闭查找栏</translation>
    </message>
    <message>
        <source>no matches</source>
        <translation>无匹配</translation>
    </message>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n 处匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HitDelegate</name>
    <message>
        <source>Headline</source>
        <extracomment>A hit&apos;s mark in a snippet, (background, text) for light and dark: dark on amber, in both.</extracomment>
        <translation>标题</translation>
    </message>
</context>
<context>
    <name>LibraryController</name>
    <message>
        <source>Reading the archive…</source>
        <translation>正在读取档案库…</translation>
    </message>
    <message>
        <source>The archive could not be read.</source>
        <translation>无法读取档案库。</translation>
    </message>
    <message>
        <source>Search is not available.</source>
        <translation>搜索功能不可用。</translation>
    </message>
    <message>
        <source>The search index could not be opened.</source>
        <translation>无法打开搜索索引。</translation>
    </message>
    <message>
        <source>Updating the search index…</source>
        <translation>正在更新搜索索引…</translation>
    </message>
    <message>
        <source>Another window is updating the search index; results may be incomplete.</source>
        <translation>另一个窗口正在更新搜索索引，结果可能不完整。</translation>
    </message>
    <message>
        <source>Indexing stopped; search covers what was indexed.</source>
        <translation>索引已停止；搜索仅覆盖已建立索引的内容。</translation>
    </message>
    <message>
        <source>The search index could not be updated.</source>
        <translation>无法更新搜索索引。</translation>
    </message>
    <message>
        <source>An import is already running.</source>
        <translation>已有一个导入正在进行。</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n file(s)…</source>
        <translation>
            <numerusform>正在导入 %n 个文件…</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing %1 (%2 of %3)…</source>
        <translation>正在导入 %1（第 %2 个，共 %3 个）…</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message numerus="yes">
        <source>%n bulletin(s) imported</source>
        <translation>
            <numerusform>已导入 %n 份公报</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in the archive</source>
        <translation>
            <numerusform>%n 份已在档案库中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n 个失败</numerusform>
        </translation>
    </message>
    <message>
        <source>stopped before the end</source>
        <translation>未完成即停止</translation>
    </message>
    <message>
        <source>The import failed.</source>
        <translation>导入失败。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Bulletin Viewer is already running. Switch to its window.</source>
        <translation>公报阅读器已在运行，请切换到它的窗口。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出了点问题。</translation>
    </message>
    <message>
        <source>Bulletin Viewer cannot start.</source>
        <translation>公报阅读器无法启动。</translation>
    </message>
    <message>
        <source>Bulletin Viewer cannot write to its data folder.</source>
        <translation>公报阅读器无法写入它的数据文件夹。</translation>
    </message>
    <message>
        <source>%1 cannot be written (%2). Bulletin Viewer keeps the archive, the search index, the bookmarks and the settings there. Check the folder&apos;s permissions, or start Bulletin Viewer with %3 set to a folder you can write.</source>
        <translation>无法写入 %1（%2）。公报阅读器在那里保存文档库、搜索索引、书签和设置。请检查该文件夹的权限，或将 %3 设为一个可写的文件夹后再启动公报阅读器。</translation>
    </message>
    <message>
        <source>Bulletin Viewer</source>
        <translation>公报阅读器</translation>
    </message>
    <message>
        <source>Search Results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>措施</translation>
    </message>
    <message>
        <source>Search all bulletins  (Ctrl+K)</source>
        <translation>搜索全部公报  （Ctrl+K）</translation>
    </message>
    <message>
        <source>Search all bulletins</source>
        <translation>搜索全部公报</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>Text of the section</source>
        <translation>本节正文</translation>
    </message>
    <message>
        <source>Choose a bulletin or a district on the left.</source>
        <translation>请在左侧选择一份公报或一个区。</translation>
    </message>
    <message>
        <source>No Chinese font is installed, so the text may show as empty boxes. Install one, e.g. on Debian or Ubuntu: sudo apt install fonts-noto-cjk</source>
        <translation>系统中没有安装中文字体，正文可能显示为空白方框。请安装一种中文字体，例如在 Debian 或 Ubuntu 上运行：sudo apt install fonts-noto-cjk</translation>
    </message>
    <message>
        <source>Import Bulletins</source>
        <translation>导入公报</translation>
    </message>
    <message>
        <source>Documents (%1);;All files (*)</source>
        <translation>文档 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>About Bulletin Viewer</source>
        <translation>关于公报阅读器</translation>
    </message>
    <message>
        <source>Bulletin Viewer %1

An offline reader for archives of Chinese regulatory bulletins: read by district, search every bulletin, keep what matters.</source>
        <translation>公报阅读器 %1

离线阅读监管公报档案：按区阅读，搜索全部公报，留存重要内容。</translation>
    </message>
</context>
<context>
    <name>MeasuresFilters</name>
    <message>
        <source>All bulletins</source>
        <translation>全部公报</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>不限日期</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>&amp;Bulletin:</source>
        <translation>公报(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>起(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>止(&amp;T)：</translation>
    </message>
    <message>
        <source>T&amp;ype:</source>
        <translation>类型(&amp;Y)：</translation>
    </message>
    <message>
        <source>Bulletin</source>
        <translation>公报</translation>
    </message>
    <message>
        <source>Count the passages of one bulletin, or of all</source>
        <translation>统计一期或全部公报的段落</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Count bulletins dated on or after this day</source>
        <translation>统计此日及以后的公报</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Count bulletins dated on or before this day</source>
        <translation>统计此日及以前的公报</translation>
    </message>
    <message>
        <source>Measure type</source>
        <translation>措施类型</translation>
    </message>
    <message>
        <source>Show one measure type, or all</source>
        <translation>显示一种或全部措施类型</translation>
    </message>
</context>
<context>
    <name>MeasuresModel</name>
    <message>
        <source>Outside districts</source>
        <extracomment>What the model gives for a cell under this role: the ``Cell`` (or None). A passage item&apos;s ``Place`` in the list. Figures shown in a cell&apos;s tooltip, at most; and passages looked at for them. Characters of a passage shown in the list (the whole text is in its tooltip).</extracomment>
        <translation>区外（未分区）</translation>
    </message>
    <message>
        <source>%1: no passages</source>
        <translation>%1：无段落</translation>
    </message>
    <message>
        <source>%1: passages %2, bulletins %3</source>
        <translation>%1：%2 段，%3 期</translation>
    </message>
    <message>
        <source>Key figures:</source>
        <translation>关键数字：</translation>
    </message>
    <message>
        <source>No figures in these passages.</source>
        <translation>这些段落中没有数字。</translation>
    </message>
</context>
<context>
    <name>MeasuresView</name>
    <message>
        <source>Measures by district</source>
        <extracomment>A passage to open with these phrases highlighted: (bulletin id, section, paragraph, phrases). The matrix shown changed (a scan ended, a filter changed). Something failed that the user asked for: (summary, details). A passing message for the status bar: (text, milliseconds).</extracomment>
        <translation>各区措施</translation>
    </message>
    <message>
        <source>Rows are districts, columns measure types; each cell counts passages (bulletins). Enter lists a cell&apos;s passages.</source>
        <translation>行为区，列为措施类型；每格为段落数（公报数）。按 Enter 列出该格的段落。</translation>
    </message>
    <message>
        <source>Passages of the cell</source>
        <translation>该格的段落</translation>
    </message>
    <message>
        <source>Enter opens the passage with its phrases highlighted</source>
        <translation>按 Enter 打开段落并突出显示相关词语</translation>
    </message>
    <message>
        <source>Measures summary</source>
        <translation>措施概况</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>导出(&amp;X)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export the matrix or the passages of the cell</source>
        <translation>导出矩阵或该格的段落</translation>
    </message>
    <message>
        <source>Matrix as CSV…</source>
        <translation>矩阵导出为 CSV…</translation>
    </message>
    <message>
        <source>Matrix as Markdown…</source>
        <translation>矩阵导出为 Markdown…</translation>
    </message>
    <message>
        <source>Cell Passages as CSV…</source>
        <translation>该格段落导出为 CSV…</translation>
    </message>
    <message>
        <source>Cell Passages as Markdown…</source>
        <translation>该格段落导出为 Markdown…</translation>
    </message>
    <message>
        <source>The measures could not be counted.</source>
        <translation>无法统计措施。</translation>
    </message>
    <message>
        <source>Counting measures…</source>
        <translation>正在统计措施…</translation>
    </message>
    <message>
        <source>The measures could not be counted: %1</source>
        <translation>无法统计措施：%1</translation>
    </message>
    <message>
        <source>No passages of these measure types here.</source>
        <translation>此范围内没有这些类型措施的段落。</translation>
    </message>
    <message>
        <source>Passages showing a measure: %1, in bulletins: %2. Each cell: passages (bulletins); the stronger its colour, the more passages.</source>
        <translation>含措施的段落：%1 段，分布于 %2 期公报。每格：段落数（公报数）；颜色越深，段落越多。</translation>
    </message>
    <message>
        <source>Choose a cell to list its passages.</source>
        <translation>选择一格以列出其段落。</translation>
    </message>
    <message>
        <source>%1 · %2: passages %3</source>
        <translation>%1 · %2：%3 段</translation>
    </message>
    <message>
        <source>Outside districts</source>
        <translation>区外（未分区）</translation>
    </message>
    <message>
        <source>Choose a cell first.</source>
        <translation>请先选择一格。</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Markdown files (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>Export Measures</source>
        <translation>导出措施</translation>
    </message>
    <message>
        <source>The export could not be written.</source>
        <translation>无法写入导出文件。</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Dismiss notice</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>PrintExport</name>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Choose a bulletin or a district to print first.</source>
        <translation>请先选择要打印的公报或区。</translation>
    </message>
    <message>
        <source>Export Whole Bulletin as PDF</source>
        <translation>将整篇公报导出为 PDF</translation>
    </message>
    <message>
        <source>Export as PDF</source>
        <translation>导出为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>The PDF could not be written.</source>
        <translation>无法写入 PDF。</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Print Whole Bulletin</source>
        <translation>打印整篇公报</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>The pages could not be printed.</source>
        <translation>无法打印。</translation>
    </message>
    <message>
        <source>Printing cancelled.</source>
        <translation>已取消打印。</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷方式</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <extracomment>Strings of Qt&apos;s file dialog that qtbase_zh_CN does not translate (labels whose mnemonics changed, the type of a folder): our catalogue has them, in Qt&apos;s contexts.</extracomment>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>ReaderCommands</name>
    <message>
        <source>&amp;Default (%1)</source>
        <translation>默认(&amp;D)（%1）</translation>
    </message>
    <message>
        <source>Text &amp;Font</source>
        <translation>正文字体(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print what the article shows (Ctrl+P)</source>
        <translation>打印正文显示的内容（Ctrl+P）</translation>
    </message>
    <message>
        <source>Print &amp;Whole Bulletin…</source>
        <translation>打印整篇公报(&amp;W)…</translation>
    </message>
    <message>
        <source>Print the whole bulletin: every district or heading</source>
        <translation>打印整篇公报：每个区或每个标题</translation>
    </message>
    <message>
        <source>Export as P&amp;DF…</source>
        <translation>导出为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Save what the article shows as a PDF file (Ctrl+Shift+E)</source>
        <translation>将正文显示的内容保存为 PDF 文件（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>Export Whole Bulletin &amp;as PDF…</source>
        <translation>将整篇公报导出为 PDF(&amp;A)…</translation>
    </message>
    <message>
        <source>Copy with Ci&amp;tation</source>
        <translation>复制并附出处(&amp;T)</translation>
    </message>
    <message>
        <source>Copy the selection with a line that cites it (Ctrl+Shift+C)</source>
        <translation>复制选中的文字，并附上一行出处（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <source>N&amp;ext Section</source>
        <translation>下一节(&amp;E)</translation>
    </message>
    <message>
        <source>The next section in the tree (Ctrl+PgDown; Alt+Down in the text)</source>
        <translation>树中的下一节（Ctrl+PgDown；在正文中 Alt+Down）</translation>
    </message>
    <message>
        <source>Pre&amp;vious Section</source>
        <translation>上一节(&amp;V)</translation>
    </message>
    <message>
        <source>The previous section in the tree (Ctrl+PgUp; Alt+Up in the text)</source>
        <translation>树中的上一节（Ctrl+PgUp；在正文中 Alt+Up）</translation>
    </message>
    <message>
        <source>Paragraph &amp;Numbers</source>
        <translation>段落编号(&amp;N)</translation>
    </message>
    <message>
        <source>Number the paragraphs in the margin, as citations count them</source>
        <translation>在页边为段落编号，与出处中的段号一致</translation>
    </message>
    <message>
        <source>Traditional &amp;Characters</source>
        <translation>繁体字显示(&amp;C)</translation>
    </message>
    <message>
        <source>Show the text in traditional characters (search and bookmarks keep it as published)</source>
        <translation>以繁体字显示正文（搜索和书签仍按原文）</translation>
    </message>
</context>
<context>
    <name>ReaderTools</name>
    <message>
        <source>This is the last section.</source>
        <translation>已是最后一节。</translation>
    </message>
    <message>
        <source>This is the first section.</source>
        <translation>已是第一节。</translation>
    </message>
</context>
<context>
    <name>ReadingController</name>
    <message>
        <source>That bulletin is no longer in the archive.</source>
        <translation>该公报已不在档案库中。</translation>
    </message>
    <message>
        <source>More matches are being listed; press F3 again.</source>
        <translation>正在列出更多匹配；请再按一次 F3。</translation>
    </message>
    <message>
        <source>No more matches.</source>
        <translation>没有更多匹配了。</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Lead</source>
        <translation>导语</translation>
    </message>
    <message>
        <source>Title and lead</source>
        <translation>标题和导语</translation>
    </message>
    <message>
        <source>Outside districts</source>
        <translation>非分区内容</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Show matches in district</source>
        <translation>只显示某区的匹配</translation>
    </message>
    <message>
        <source>Show matches in one district only</source>
        <translation>只显示一个区的匹配</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Search summary</source>
        <translation>搜索摘要</translation>
    </message>
    <message>
        <source>Type in the search field (Ctrl+K) to find words in every bulletin and district.</source>
        <translation>在搜索框（Ctrl+K）中输入文字，即可在所有公报和各区中查找。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>The search index is being prepared; results follow shortly.</source>
        <translation>正在准备搜索索引，结果稍后显示。</translation>
    </message>
    <message>
        <source>No results</source>
        <translation>没有结果</translation>
    </message>
    <message>
        <source>Could not search for “%1”: %2</source>
        <translation>无法搜索“%1”：%2</translation>
    </message>
    <message>
        <source>Nothing matches “%1” in %2. Try fewer or other words.</source>
        <translation>%2 中没有与“%1”匹配的内容。请尝试更少或其他的词。</translation>
    </message>
    <message>
        <source>Nothing matches “%1”. Try fewer or other words.</source>
        <translation>没有与“%1”匹配的内容。请尝试更少或其他的词。</translation>
    </message>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n 处匹配</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n districts</source>
        <translation>
            <numerusform>，分布在 %n 个区</numerusform>
        </translation>
    </message>
    <message>
        <source> · first %1 shown</source>
        <translation> · 显示前 %1 条</translation>
    </message>
    <message>
        <source>All districts (%1)</source>
        <translation>全部区（%1）</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>全部区</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Running task</source>
        <translation>正在进行的任务</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running task</source>
        <translation>取消正在进行的任务</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Text size (Ctrl+0: actual size)</source>
        <translation>文字大小（Ctrl+0：实际大小）</translation>
    </message>
</context>
<context>
    <name>Translations</name>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>%1.</source>
        <translation>%1。</translation>
    </message>
</context>
<context>
    <name>TreePanel</name>
    <message>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <source>Filter the tree</source>
        <translation>筛选目录树</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>By bulletin</source>
        <translation>按公报</translation>
    </message>
    <message>
        <source>By district</source>
        <translation>按区</translation>
    </message>
    <message>
        <source>Tree view</source>
        <translation>目录树视图</translation>
    </message>
    <message>
        <source>Show bulletins with their districts, or districts with their bulletins</source>
        <translation>按公报列出各区，或按区列出公报</translation>
    </message>
    <message>
        <source>Districts and bulletins</source>
        <translation>区和公报</translation>
    </message>
</context>
<context>
    <name>WindowCommands</name>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销%1(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做%1(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Import Bulletins…</source>
        <translation>导入公报(&amp;I)…</translation>
    </message>
    <message>
        <source>Copy bulletin files into the archive</source>
        <translation>把公报文件复制到档案库</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Search All Bulletins</source>
        <translation>搜索全部公报(&amp;S)</translation>
    </message>
    <message>
        <source>Search every bulletin (Ctrl+K)</source>
        <translation>搜索所有公报（Ctrl+K）</translation>
    </message>
    <message>
        <source>&amp;Find in Section</source>
        <translation>在本节中查找(&amp;F)</translation>
    </message>
    <message>
        <source>Find in this section (Ctrl+F)</source>
        <translation>在本节中查找（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Next Match</source>
        <translation>下一个匹配(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Match</source>
        <translation>上一个匹配(&amp;P)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Larger text (Ctrl+=)</source>
        <translation>放大文字（Ctrl+=）</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Smaller text (Ctrl+-)</source>
        <translation>缩小文字（Ctrl+-）</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>Go to &amp;Tree</source>
        <translation>转到目录树(&amp;T)</translation>
    </message>
    <message>
        <source>Go to Te&amp;xt</source>
        <translation>转到正文(&amp;X)</translation>
    </message>
    <message>
        <source>Go to &amp;Results</source>
        <translation>转到搜索结果(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;About Bulletin Viewer</source>
        <translation>关于公报阅读器(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Bookmark Selection…</source>
        <translation>收藏所选内容(&amp;B)…</translation>
    </message>
    <message>
        <source>Bookmark the selected text, or the paragraph at the cursor (Ctrl+D)</source>
        <translation>收藏所选文字，或光标所在的段落（Ctrl+D）</translation>
    </message>
    <message>
        <source>&amp;Export Bookmarks…</source>
        <translation>导出书签(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the bookmarks as Markdown, CSV or JSON</source>
        <translation>将书签保存为 Markdown、CSV 或 JSON</translation>
    </message>
    <message>
        <source>Import Boo&amp;kmarks…</source>
        <translation>导入书签(&amp;K)…</translation>
    </message>
    <message>
        <source>Add the bookmarks of a JSON export</source>
        <translation>添加 JSON 导出文件中的书签</translation>
    </message>
    <message>
        <source>Go to &amp;Bookmarks</source>
        <translation>转到书签(&amp;B)</translation>
    </message>
    <message>
        <source>Tree &amp;by Bulletin</source>
        <translation>按公报排列(&amp;B)</translation>
    </message>
    <message>
        <source>Tree by &amp;District</source>
        <translation>按区排列(&amp;D)</translation>
    </message>
    <message>
        <source>Sort by Da&amp;te</source>
        <translation>按日期排序(&amp;T)</translation>
    </message>
    <message>
        <source>Bulletins newest first, undated ones last</source>
        <translation>最新的公报在前，无日期的在后</translation>
    </message>
    <message>
        <source>Sort by T&amp;itle</source>
        <translation>按标题排序(&amp;I)</translation>
    </message>
    <message>
        <source>Follow &amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>Search &amp;Results Panel</source>
        <translation>搜索结果面板(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Bookmarks Panel</source>
        <translation>书签面板(&amp;B)</translation>
    </message>
</context>
</TS>
