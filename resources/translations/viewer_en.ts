<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BookmarkWorkflows</name>
    <message numerus="yes">
        <source>Delete %n Bookmark(s)</source>
        <translation>
            <numerusform>Delete Bookmark</numerusform>
            <numerusform>Delete %n Bookmarks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) deleted; Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>Bookmark deleted; Ctrl+Z brings it back.</numerusform>
            <numerusform>%n bookmarks deleted; Ctrl+Z brings them back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) exported to %1.</source>
        <translation>
            <numerusform>%n bookmark exported to %1.</numerusform>
            <numerusform>%n bookmarks exported to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bookmark(s) imported</source>
        <translation>
            <numerusform>%n bookmark imported</numerusform>
            <numerusform>%n bookmarks imported</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already kept</source>
        <translation>
            <numerusform>%n already kept</numerusform>
            <numerusform>%n already kept</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not found in the archive</source>
        <translation>
            <numerusform>%n not found in the archive</numerusform>
            <numerusform>%n not found in the archive</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DistrictTreeModel</name>
    <message numerus="yes">
        <source>%1, %n matches</source>
        <translation>
            <numerusform>%1, %n match</numerusform>
            <numerusform>%1, %n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryController</name>
    <message numerus="yes">
        <source>Importing %n file(s)…</source>
        <translation>
            <numerusform>Importing %n file…</numerusform>
            <numerusform>Importing %n files…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bulletin(s) imported</source>
        <translation>
            <numerusform>%n bulletin imported</numerusform>
            <numerusform>%n bulletins imported</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in the archive</source>
        <translation>
            <numerusform>%n already in the archive</numerusform>
            <numerusform>%n already in the archive</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n districts</source>
        <translation>
            <numerusform> in %n district</numerusform>
            <numerusform> in %n districts</numerusform>
        </translation>
    </message>
</context>
</TS>
