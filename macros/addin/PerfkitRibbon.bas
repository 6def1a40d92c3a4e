Attribute VB_Name = "PerfkitRibbon"
' perfkit ribbon callbacks for the tab defined in customUI14.xml.
' Each button runs one function of the Python package "macros" through
' xlwings' RunPython (the xlwings module of this add-in).
' This file must stay ASCII (the VBA project codepage is cp1252):
' Chinese text is built with ChrW; tests/test_addin.py checks what it says.
Option Explicit

' --- buttons ---------------------------------------------------------------
' Before RunPython, PerfkitVersion.XlwingsOk compares the xlwings version this
' add-in was built with to the one of the Python Excel starts, and explains a
' difference in Chinese instead of letting xlwings fail on its DLL.

Public Sub OnValidate(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.validate()"
End Sub

Public Sub OnReview(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.review()"
End Sub

Public Sub OnClear(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.clear()"
End Sub

Public Sub OnNewSelfEval(control As IRibbonControl)
    ' RunPython needs an active workbook; the new form opens in its own window.
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import macros; macros.new_selfeval()"
End Sub

Public Sub OnNewEvalTable(control As IRibbonControl)
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import macros; macros.new_evaltable()"
End Sub

Public Sub OnInsertRow(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.insert_row()"
End Sub

Public Sub OnFreeze(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.freeze()"
End Sub

Public Sub OnHelp(control As IRibbonControl)
    ' Without a workbook RunPython cannot start: show the short help here.
    If ActiveWorkbook Is Nothing Then
        MsgBox HelpText(), vbInformation, TitleText()
        Exit Sub
    End If
    If Not PerfkitVersion.XlwingsOk() Then Exit Sub
    RunPython "import macros; macros.show_help()"
End Sub

' --- helpers ---------------------------------------------------------------

Private Function HasWorkbook() As Boolean
    If ActiveWorkbook Is Nothing Then
        MsgBox NoWorkbookText(), vbExclamation, TitleText()
        HasWorkbook = False
    Else
        HasWorkbook = True
    End If
End Function

Private Function TitleText() As String
    Dim s As String
    s = ChrW(&H7EE9) & ChrW(&H6548) & ChrW(&H8BC4) & ChrW(&H4EF7)
    TitleText = s
End Function

Private Function NoWorkbookText() As String
    Dim s As String
    s = ChrW(&H8BF7) & ChrW(&H5148) & ChrW(&H6253) & ChrW(&H5F00) & ChrW(&H8981) & ChrW(&H5904) & ChrW(&H7406) & ChrW(&H7684) & ChrW(&H81EA) & ChrW(&H8BC4) & ChrW(&H8868) & ChrW(&H6216)
    s = s & ChrW(&H8BC4) & ChrW(&H5206) & ChrW(&H8868) & ChrW(&HFF0C) & ChrW(&H518D) & ChrW(&H70B9) & ChrW(&H6B64) & ChrW(&H6309) & ChrW(&H94AE) & ChrW(&H3002)
    NoWorkbookText = s
End Function

Private Function HelpText() As String
    Dim s As String
    s = ChrW(&H7EE9) & ChrW(&H6548) & ChrW(&H8BC4) & ChrW(&H4EF7) & ChrW(&H52A0) & ChrW(&H8F7D) & ChrW(&H9879) & vbLf & vbLf & ChrW(&H6821) & ChrW(&H9A8C) & ChrW(&HFF1A)
    s = s & ChrW(&H68C0) & ChrW(&H67E5) & ChrW(&H5F53) & ChrW(&H524D) & ChrW(&H81EA) & ChrW(&H8BC4) & ChrW(&H8868) & ChrW(&H6216) & ChrW(&H8BC4) & ChrW(&H5206) & ChrW(&H8868) & ChrW(&HFF0C)
    s = s & ChrW(&H5728) & ChrW(&H6709) & ChrW(&H95EE) & ChrW(&H9898) & ChrW(&H7684) & ChrW(&H5355) & ChrW(&H5143) & ChrW(&H683C) & ChrW(&H4E0A) & ChrW(&H505A) & ChrW(&H6807) & ChrW(&H8BB0)
    s = s & ChrW(&H5E76) & ChrW(&H5217) & ChrW(&H51FA) & ChrW(&H95EE) & ChrW(&H9898) & ChrW(&H3002) & vbLf & ChrW(&H590D) & ChrW(&H6838) & ChrW(&HFF1A) & ChrW(&H68C0) & ChrW(&H67E5)
    s = s & ChrW(&H81EA) & ChrW(&H8BC4) & ChrW(&H5206) & ChrW(&H6570) & ChrW(&H662F) & ChrW(&H5426) & ChrW(&H53EF) & ChrW(&H4FE1) & ChrW(&HFF08) & ChrW(&H5206) & ChrW(&H6570) & ChrW(&H865A)
    s = s & ChrW(&H9AD8) & ChrW(&H3001) & ChrW(&H6267) & ChrW(&H884C) & ChrW(&H7387) & ChrW(&H504F) & ChrW(&H4F4E) & ChrW(&H3001) & ChrW(&H5360) & ChrW(&H4F4D) & ChrW(&H7684) & ChrW(&H6307)
    s = s & ChrW(&H6807) & ChrW(&H503C) & ChrW(&H7B49) & ChrW(&HFF09) & ChrW(&HFF0C) & ChrW(&H5217) & ChrW(&H51FA) & ChrW(&H9700) & ChrW(&H8981) & ChrW(&H590D) & ChrW(&H6838) & ChrW(&H7684)
    s = s & ChrW(&H95EE) & ChrW(&H9898) & ChrW(&H3002) & vbLf & ChrW(&H6E05) & ChrW(&H9664) & ChrW(&H6807) & ChrW(&H8BB0) & ChrW(&HFF1A) & ChrW(&H53BB) & ChrW(&H6389) & ChrW(&H6821)
    s = s & ChrW(&H9A8C) & ChrW(&H7559) & ChrW(&H4E0B) & ChrW(&H7684) & ChrW(&H6807) & ChrW(&H8BB0) & ChrW(&H3002) & vbLf & ChrW(&H65B0) & ChrW(&H5EFA) & ChrW(&H81EA) & ChrW(&H8BC4)
    s = s & ChrW(&H8868) & " / " & ChrW(&H65B0) & ChrW(&H5EFA) & ChrW(&H8BC4) & ChrW(&H5206) & ChrW(&H8868) & ChrW(&HFF1A) & ChrW(&H751F) & ChrW(&H6210) & ChrW(&H4E00) & ChrW(&H4EFD)
    s = s & ChrW(&H7A7A) & ChrW(&H767D) & ChrW(&H6A21) & ChrW(&H677F) & ChrW(&H5E76) & ChrW(&H6253) & ChrW(&H5F00) & ChrW(&H3002) & vbLf & ChrW(&H63D2) & ChrW(&H5165) & ChrW(&H6307)
    s = s & ChrW(&H6807) & ChrW(&H884C) & ChrW(&HFF1A) & ChrW(&H5728) & ChrW(&H5149) & ChrW(&H6807) & ChrW(&H6240) & ChrW(&H5728) & ChrW(&H7684) & ChrW(&H4E8C) & ChrW(&H7EA7) & ChrW(&H6307)
    s = s & ChrW(&H6807) & ChrW(&H4E0B) & ChrW(&H63D2) & ChrW(&H5165) & ChrW(&H4E00) & ChrW(&H884C) & ChrW(&H4E09) & ChrW(&H7EA7) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&HFF0C) & ChrW(&H516C)
    s = s & ChrW(&H5F0F) & ChrW(&H548C) & ChrW(&H683C) & ChrW(&H5F0F) & ChrW(&H968F) & ChrW(&H4E4B) & ChrW(&H590D) & ChrW(&H5236) & ChrW(&H3002) & vbLf & ChrW(&H5B9A) & ChrW(&H7A3F)
    s = s & ChrW(&H5BFC) & ChrW(&H51FA) & ChrW(&HFF1A) & ChrW(&H53E6) & ChrW(&H5B58) & ChrW(&H4E00) & ChrW(&H4EFD) & ChrW(&H516C) & ChrW(&H5F0F) & ChrW(&H5DF2) & ChrW(&H8F6C) & ChrW(&H4E3A)
    s = s & ChrW(&H6570) & ChrW(&H503C) & ChrW(&H7684) & ChrW(&H5B9A) & ChrW(&H7A3F) & ChrW(&H3002) & vbLf & vbLf & ChrW(&H8BC4) & ChrW(&H5206) & ChrW(&H51FD) & ChrW(&H6570)
    s = s & ChrW(&HFF08) & ChrW(&H5982) & " =PERF_SCORE(...)" & ChrW(&HFF09) & ChrW(&H5728) & ChrW(&H201C) & ChrW(&H63D2) & ChrW(&H5165) & ChrW(&H51FD) & ChrW(&H6570) & ChrW(&H201D) & ChrW(&H7684)
    s = s & ChrW(&H201C) & ChrW(&H7EE9) & ChrW(&H6548) & ChrW(&H8BC4) & ChrW(&H4EF7) & ChrW(&H201D) & ChrW(&H7C7B) & ChrW(&H522B) & ChrW(&H4E2D) & ChrW(&H3002) & vbLf & ChrW(&H6253)
    s = s & ChrW(&H5F00) & ChrW(&H4E00) & ChrW(&H4E2A) & ChrW(&H5DE5) & ChrW(&H4F5C) & ChrW(&H7C3F) & ChrW(&H540E) & ChrW(&H518D) & ChrW(&H70B9) & ChrW(&H201C) & ChrW(&H5E2E) & ChrW(&H52A9)
    s = s & ChrW(&H201D) & ChrW(&H53EF) & ChrW(&H67E5) & ChrW(&H770B) & ChrW(&H5B8C) & ChrW(&H6574) & ChrW(&H8BF4) & ChrW(&H660E) & ChrW(&H3002)
    HelpText = s
End Function
