using System.Threading.Tasks;

namespace Cache;

public interface ICache
{
    ValueTask SetAsync(string key, string value);
}

internal sealed class CacheWriter
{
    private readonly ICache _cache;

    public CacheWriter(ICache cache) => _cache = cache;

    public async ValueTask StoreAsync(string key, string value)
    {
        await _cache.SetAsync(key + ":copy", value);
        await _cache.SetAsync(key, value);
    }
}
