; Inno Setup script for the Windows installer of Festival Desk (built by .github/workflows/bundles.yml
; from the PyInstaller folder dist\festival-desk). Per-user or all-users install, a Start menu entry,
; .festival files opening in the desk, an uninstaller. The version comes from pyproject.toml:
;   iscc /DAppVersion=X.Y.Z packaging\windows\festival-desk.iss

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif

[Setup]
AppId={{6D3C0B8E-5F0B-4C53-9C7E-3F2A1B7D9E41}
AppName=Festival Desk
AppVersion={#AppVersion}
AppPublisher=Festival Desk maintainers
DefaultDirName={autopf}\Festival Desk
DefaultGroupName=Festival Desk
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=festival-desk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\festival-desk.ico
UninstallDisplayIcon={app}\festival-desk-gui.exe
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\festival-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Festival Desk"; Filename: "{app}\festival-desk-gui.exe"
Name: "{group}\Uninstall Festival Desk"; Filename: "{uninstallexe}"

[Registry]
; NAME.festival opens in the desk on a double-click.
Root: HKA; Subkey: "Software\Classes\.festival\OpenWithProgids"; ValueType: string; ValueName: "FestivalDesk.Festival"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\FestivalDesk.Festival"; ValueType: string; ValueName: ""; ValueData: "Festival Desk festival"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\FestivalDesk.Festival\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\festival-desk-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\FestivalDesk.Festival\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\festival-desk-gui.exe"" ""%1"""
