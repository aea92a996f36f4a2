using System.Threading.Tasks;

namespace Config;

public interface ISettingsStore
{
    Task<string> LoadAsync(string key);
}

public sealed class SettingsCache
{
    private readonly ISettingsStore _store;

    public SettingsCache(ISettingsStore store) => _store = store;

    public async Task<int> TimeoutAsync()
    {
        var raw = await _store.LoadAsync("timeout");
        await Task.Yield();
        return int.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
    }
}
