using System.Threading.Tasks;

namespace Accounts;

public interface IUserStore
{
    Task SaveAsync(string user);
    Task<int> CountAsync();
}

internal sealed class Registration
{
    private readonly IUserStore _users;

    public Registration(IUserStore users) => _users = users;

    public async Task<int> RegisterAsync(string user)
    {
        await _users.SaveAsync(user);
        return await _users.CountAsync();
    }
}
