<?php

namespace Laravel\Sanctum;

use Illuminate\Contracts\Auth\Factory as AuthFactory;
use Illuminate\Http\Request;

/**
 * This example's stand-in for laravel/sanctum's guard callback (the stand-in's
 * scope and omissions are listed in SanctumServiceProvider.php): the `sanctum`
 * RequestGuard asks it, once per request, for the user.
 */
class Guard
{
    protected $auth;
    protected $expiration; // minutes a token lives after its creation; null: forever

    public function __construct(AuthFactory $auth, $expiration = null)
    {
        $this->auth = $auth;
        $this->expiration = $expiration;
    }

    public function __invoke(Request $request)
    {
        // First-party SPAs authenticate with the session: a user of the guards
        // in config('sanctum.guard') wins, and may do anything (TransientToken).
        foreach ((array) config('sanctum.guard', ['web']) as $guard) {
            if ($user = $this->auth->guard($guard)->user()) {
                return method_exists($user, 'withAccessToken') ? $user->withAccessToken(new TransientToken) : $user;
            }
        }

        $model = Sanctum::$personalAccessTokenModel;

        if (! ($bearer = $request->bearerToken()) || ! ($token = $model::findToken($bearer))
            || ($this->expiration && $token->created_at->lte(now()->subMinutes($this->expiration)))
            || ! ($user = $token->tokenable) || ! method_exists($user, 'withAccessToken')) {
            return null;
        }

        $token->forceFill(['last_used_at' => now()])->save();

        return $user->withAccessToken($token);
    }
}
