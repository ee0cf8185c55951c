namespace PopGate.Auth;

/// <summary>What <see cref="UserDatabase.ReloadIfChanged"/> did.</summary>
public enum UsersFileReload
{
    /// <summary>The file did not change since it was last read (or since it was last found broken).</summary>
    Unchanged,

    /// <summary>The file changed and its new content is in use.</summary>
    Reloaded,

    /// <summary>The file changed but cannot be used; the previous users stay in effect (see LastReloadError).</summary>
    Failed,
}
